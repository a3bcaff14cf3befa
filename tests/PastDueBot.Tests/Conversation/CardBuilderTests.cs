using System.Text;
using System.Text.Json.Nodes;
using PastDueBot.Cards;
using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Directory;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Conversation;

public sealed class CardBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly PaymentMethod Visa = new("pm-visa", CardBrand.Visa, "4242", new CardExpiry(10, 2026), "Contoso", "admin-1", "Ada Admin");
    private static readonly PaymentMethod Master = new("pm-mc", CardBrand.Mastercard, "4444", new CardExpiry(3, 2029), "Contoso", "admin-1", "Ada Admin");
    private static readonly Subscription Premium = new("sub-1", "t1", "Microsoft 365 Business Premium", new Money(1234.5m, "EUR"), Now.AddDays(-12), DeclineReason.ExpiredCard, Visa.Id, null);
    private static readonly Subscription Phone = new("sub-2", "t1", "Microsoft Teams Phone Standard", new Money(80m, "EUR"), Now.AddDays(-1), DeclineReason.InsufficientFunds, "pm-megan", null);
    private static readonly CardStamp Stamp = CardStamp.Of(("promptId", "p1"));

    public static TheoryData<string, string> Cards()
    {
        var data = new TheoryData<string, string>();
        foreach (var culture in new[] { "en-US", "nl-NL" })
            foreach (var name in Builders.Keys) data.Add(culture, name);
        return data;
    }

    /// <summary>Every card the conversation layer sends, in each of its variants (also rendered by ConversationCardGalleryTests).</summary>
    internal static readonly Dictionary<string, Func<BotTexts, AdaptiveCard>> Builders = new()
    {
        ["welcome"] = t => WelcomeCards.Welcome(t, false, "nl"),
        ["welcome-team"] = t => WelcomeCards.Welcome(t, true, "nl"),
        ["help"] = t => WelcomeCards.Help(t, false, "en"),
        ["step-done"] = WelcomeCards.StepDone,
        ["subscriptions"] = t => SubscriptionCards.Choose(t, [Premium, Phone], Now, Stamp),
        ["subscriptions-problem"] = t => SubscriptionCards.Choose(t, [Premium, Phone], Now, Stamp, "problem"),
        ["subscription-confirm"] = t => SubscriptionCards.Confirm(t, Premium, Now, Stamp),
        ["not-an-admin"] = t => AccessCards.NotAnAdmin(t, [new DirectoryUser("m", "Megan Bowen", "m@x", "m@x")]),
        ["unknown-user"] = AccessCards.UnknownUser,
        ["actions-owner"] = t => ActionCards.Choose(t, Premium, Visa, true, Stamp),
        ["actions-not-owner"] = t => ActionCards.Choose(t, Phone, Visa with { OwnerId = "megan", OwnerName = "Megan Bowen" }, false, Stamp),
        ["edit-expiry"] = t => FormCards.EditExpiry(t, Visa, Today, Stamp),
        ["edit-expiry-problem"] = t => FormCards.EditExpiry(t, Visa, Today, Stamp, "That expiry date is in the past."),
        ["choose-card"] = t => FormCards.ChooseCard(t, [Master], [Visa], Stamp),
        ["choose-card-none"] = t => FormCards.ChooseCard(t, [], [Visa], Stamp),
        ["add-card"] = t => FormCards.AddCard(t, Today, Stamp),
        ["add-card-problem"] = t => FormCards.AddCard(t, Today, Stamp, "bad number", "Ada", new CardExpiry(4, 2030)),
        ["review"] = t => PaymentCards.Review(t, Premium, Visa, new CardExpiry(4, 2030), Stamp),
        ["review-submitted"] = t => PaymentCards.Review(t, Premium, Visa, null, Stamp, submitted: true),
        ["processing"] = t => PaymentCards.Processing(t),
        ["receipt"] = t => PaymentCards.Receipt(t, new PaymentResult(PaymentOutcome.Paid, Premium.Id, Premium.Balance, Master, "PAY-123", null, Now), Premium.ProductName),
        ["declined"] = t => PaymentCards.Declined(t, new PaymentResult(PaymentOutcome.Declined, Premium.Id, Premium.Balance, Master, null, DeclineReason.InsufficientFunds, Now), Premium.ProductName),
    };

    [Theory]
    [MemberData(nameof(Cards))]
    public void Every_card_is_a_valid_Teams_card(string culture, string name)
    {
        var card = Builders[name](TestTexts.In(culture));
        var json = CardJson.Serialize(card);
        var root = JsonNode.Parse(json)!.AsObject();

        Assert.Equal("AdaptiveCard", (string?)root["type"]);
        Assert.Equal("1.5", (string?)root["version"]);
        Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{name} is {json.Length} bytes");

        var ids = TeamsChat.Descendants(root).Select(node => (string?)node["id"]).Where(id => id is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        foreach (var input in TeamsChat.Descendants(root).Where(node => ((string?)node["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true))
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)input["label"]), $"{name}: input {input["id"]} has no label");
            Assert.True((bool?)input["isRequired"], $"{name}: input {input["id"]} is not required");
            Assert.False(string.IsNullOrWhiteSpace((string?)input["errorMessage"]), $"{name}: input {input["id"]} has no errorMessage");
        }

        foreach (var action in TeamsChat.Descendants(root).Where(node => (string?)node["type"] == "Action.Submit"))
        {
            Assert.NotNull(action["data"]?["verb"]);
            if ((string?)action["data"]?["verb"] == CardIds.Cancel) Assert.Equal("none", (string?)action["associatedInputs"]);
        }

        // No key shown instead of a text, and nothing left unformatted.
        Assert.DoesNotContain("{0}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("_Title\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Someone_who_does_not_own_the_card_cannot_choose_to_edit_its_expiry()
    {
        var t = TestTexts.In("en-US");
        var owner = CardJson.Serialize(ActionCards.Choose(t, Premium, Visa, true, Stamp));
        var other = CardJson.Serialize(ActionCards.Choose(t, Phone, Visa with { OwnerName = "Megan Bowen" }, false, Stamp));
        Assert.Contains(CardIds.ActionEditExpiry, owner, StringComparison.Ordinal);
        Assert.DoesNotContain(CardIds.ActionEditExpiry, other, StringComparison.Ordinal);
        Assert.Contains("Megan Bowen added the card on file", other, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_cards_are_listed_but_cannot_be_chosen()
    {
        var card = JsonNode.Parse(CardJson.Serialize(FormCards.ChooseCard(TestTexts.In("en-US"), [Master], [Visa], Stamp)))!;
        var choices = TeamsChat.Descendants(card).Single(node => (string?)node["type"] == "Input.ChoiceSet")["choices"]!.AsArray();
        Assert.Equal(["pm-mc"], choices.Select(choice => (string?)choice!["value"]));
        Assert.Contains("Visa ending in 4242, expires 10/26 (expired)", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_re_sent_new_card_form_never_fills_in_the_number_or_security_code()
    {
        var card = JsonNode.Parse(CardJson.Serialize(FormCards.AddCard(TestTexts.In("en-US"), Today, Stamp, "problem", "Ada", new CardExpiry(4, 2030))))!;
        var inputs = TeamsChat.Descendants(card).Where(node => node["id"] is not null).ToDictionary(node => (string)node["id"]!);
        Assert.Equal("Ada", (string?)inputs[CardIds.HolderName]["value"]);
        Assert.Null(inputs[CardIds.CardNumber]["value"]);
        Assert.Null(inputs[CardIds.SecurityCode]["value"]);
        Assert.Equal("password", (string?)inputs[CardIds.SecurityCode]["style"]);
        Assert.Equal("04", (string?)inputs[CardIds.ExpiryMonth]["value"]);
    }

    [Fact]
    public void The_submitted_review_card_has_no_buttons_left()
    {
        var card = JsonNode.Parse(CardJson.Serialize(PaymentCards.Review(TestTexts.In("en-US"), Premium, Visa, null, Stamp, submitted: true)))!;
        Assert.Null(card["actions"]);
        Assert.DoesNotContain(TeamsChat.Descendants(card), node => ((string?)node["type"])?.StartsWith("Action.", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_receipt_carries_the_48_hour_guidance_in_both_languages()
    {
        var result = new PaymentResult(PaymentOutcome.Paid, Premium.Id, Premium.Balance, Master, "PAY-123", null, Now);
        var en = CardJson.Serialize(PaymentCards.Receipt(TestTexts.In("en-US"), result, Premium.ProductName));
        Assert.Contains("48 hours", en, StringComparison.Ordinal);
        Assert.Contains("PAY-123", en, StringComparison.Ordinal);
        var nl = CardJson.Serialize(PaymentCards.Receipt(TestTexts.In("nl-NL"), result, Premium.ProductName));
        Assert.Contains("48 uur", nl, StringComparison.Ordinal);
        Assert.Contains("1.234,50", nl, StringComparison.Ordinal);
    }
}
