using PastDueBot.Conversation.Cards;
using PastDueBot.Domain.Demo;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Conversation;

/// <summary>
/// The settle conversation end to end: HTTP into the real host, demo ledger and directory on a real SQLite file,
/// replies captured by the loopback connector.
/// </summary>
public sealed class SettleFlowTests : IAsyncLifetime
{
    private const string Premium = "Microsoft 365 Business Premium";
    private const string Phone = "Microsoft Teams Phone Standard";
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartProductAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string NextYear => (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static BotReply CardWith(IReadOnlyList<BotReply> replies, string text) =>
        replies.LastOrDefault(reply => reply.Card is not null && reply.Json.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No card containing '{text}' in: {string.Join("\n", replies.Select(reply => reply.Json))}");

    private static string SubscriptionId(BotReply card, string product) =>
        (string)TeamsChat.Descendants(card.Card).Single(node => node["title"] is { } title && ((string?)title)!.StartsWith(product, StringComparison.Ordinal) && node["value"] is not null)["value"]!;

    private static async Task<BotReply> ChooseAsync(TeamsChat chat, string product)
    {
        var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
        var replies = await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = SubscriptionId(list, product) });
        return CardWith(replies, CardIds.ActionUseAnotherCard);
    }

    [Fact]
    public async Task The_owner_edits_the_expiry_and_pays()
    {
        var chat = _host.Chat("owner-1");
        var actions = await ChooseAsync(chat, Premium);
        Assert.Contains(CardIds.ActionEditExpiry, actions.Json, StringComparison.Ordinal);

        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Review and pay");
        Assert.Contains($"04/{NextYear[2..]}", review.Json, StringComparison.Ordinal);

        var saved = await chat.SubmitAsync(review, CardIds.Save);
        var update = Assert.Single(saved, reply => reply.Method == "PUT");
        Assert.Equal(review.ActivityId, update.ActivityId);
        Assert.Null(update.Card!["actions"]);
        var receipt = CardWith(saved, "Payment received");
        Assert.Contains("48 hours", receipt.Json, StringComparison.Ordinal);
        Assert.Contains("$264.00", receipt.Json, StringComparison.Ordinal);
        // The update goes out while the charge runs, but the buttons are gone before the receipt arrives.
        Assert.True(saved.ToList().IndexOf(update) < saved.ToList().IndexOf(receipt), "the review card is updated before the receipt is posted");

        // The review card again (a double click): nothing is charged twice, the step is done.
        var again = await chat.SubmitAsync(review, CardIds.Save);
        Assert.Contains("already done", Assert.Single(again).Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_picks_another_saved_card_and_expired_ones_cannot_be_chosen()
    {
        var chat = _host.Chat("owner-2");
        var actions = await ChooseAsync(chat, Premium);
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionUseAnotherCard), CardIds.PaymentMethodId);
        Assert.Contains("(expired)", form.Json, StringComparison.Ordinal);
        var choices = TeamsChat.Descendants(form.Card).Single(node => (string?)node["id"] == CardIds.PaymentMethodId)["choices"]!.AsArray();
        Assert.DoesNotContain(choices, choice => ((string?)choice!["title"])!.Contains("1117", StringComparison.Ordinal)); // the expired Discover
        var mastercard = (string)choices.Single(choice => ((string?)choice!["title"])!.StartsWith("Mastercard", StringComparison.Ordinal))!["value"]!;

        var rejected = await chat.SubmitAsync(form, CardIds.SubmitChosenCard, new Dictionary<string, string> { [CardIds.PaymentMethodId] = "not-a-card" });
        Assert.Contains("Choose a card that hasn't expired.", CardWith(rejected, "problem").Json, StringComparison.Ordinal);

        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitChosenCard, new Dictionary<string, string> { [CardIds.PaymentMethodId] = mastercard }), "Review and pay");
        Assert.Contains("Mastercard ending in 4444", review.Json, StringComparison.Ordinal);
        Assert.Contains("Payment received", CardWith(await chat.SubmitAsync(review, CardIds.Save), "Payment received").Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_who_is_not_the_owner_adds_a_new_card_and_no_card_number_or_code_is_kept_anywhere()
    {
        const string number = "4242 4242 4242 4242";
        const string badNumber = "4111 1111 1111 1112";
        var chat = _host.Chat("owner-3");
        var actions = await ChooseAsync(chat, Phone);
        Assert.DoesNotContain(CardIds.ActionEditExpiry, actions.Json, StringComparison.Ordinal);
        Assert.Contains(DemoPeople.MeganBowenName + " added the card on file", actions.Json, StringComparison.Ordinal);

        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionAddCard), CardIds.CardNumber);
        var inputs = new Dictionary<string, string>
        {
            [CardIds.HolderName] = "Ada Admin",
            [CardIds.CardNumber] = badNumber,
            [CardIds.ExpiryMonth] = "05",
            [CardIds.ExpiryYear] = NextYear,
            [CardIds.SecurityCode] = "12",
        };
        var rejected = CardWith(await chat.SubmitAsync(form, CardIds.SubmitNewCard, inputs), "problem");
        Assert.Contains("That card number isn't valid", rejected.Json, StringComparison.Ordinal);
        Assert.Contains("Enter the security code", rejected.Json, StringComparison.Ordinal);
        Assert.Contains("Ada Admin", rejected.Json, StringComparison.Ordinal); // the name comes back filled in

        inputs[CardIds.CardNumber] = number;
        inputs[CardIds.SecurityCode] = "918";
        var review = CardWith(await chat.SubmitAsync(rejected, CardIds.SubmitNewCard, inputs), "Review and pay");
        Assert.Contains("Visa ending in 4242", review.Json, StringComparison.Ordinal);
        Assert.Contains("Payment received", CardWith(await chat.SubmitAsync(review, CardIds.Save), "Payment received").Json, StringComparison.Ordinal);

        var sent = string.Join("\n", _host.Connector.Requests.Select(request => request.Body));
        var database = _host.DatabaseText();
        var logs = _host.LogText();
        foreach (var (where, text) in new[] { ("connector", sent), ("database", database), ("logs", logs) })
        {
            foreach (var secret in new[] { "4242424242424242", number, "4111111111111112", badNumber })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} found in the {where}");
            }
            Assert.False(text.Contains("\"918\"", StringComparison.Ordinal), $"the security code was found in the {where}");
            Assert.False(text.Contains(CardIds.SecurityCode + "\":\"", StringComparison.Ordinal), $"a security code field was found in the {where}");
        }
    }

    [Fact]
    public async Task A_non_admin_is_told_who_can_settle_and_sees_nothing_of_the_balance()
    {
        var replies = await _host.Chat("nonadmin-1").SayAsync("settle");
        var card = Assert.Single(replies);
        Assert.Contains("Only a billing admin can settle", card.Json, StringComparison.Ordinal);
        Assert.Contains(DemoPeople.MeganBowenName, card.Json, StringComparison.Ordinal);
        Assert.Contains(DemoPeople.NestorWilkeName, card.Json, StringComparison.Ordinal);
        // What the person sees (card and text), not the activity's ids: a random user id may well contain "264".
        var shown = card.Card!.ToJsonString() + card.Text;
        Assert.DoesNotContain(Premium, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("264", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_is_told_the_directory_does_not_know_them()
    {
        var card = Assert.Single(await _host.Chat("unknown-1").SayAsync("pay"));
        Assert.Contains("can't find your account", card.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_payment_says_why_and_goes_back_to_choosing_how_to_pay()
    {
        var chat = _host.Chat("owner-4");
        var actions = await ChooseAsync(chat, Premium);
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionAddCard), CardIds.CardNumber);
        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitNewCard, new Dictionary<string, string>
        {
            [CardIds.HolderName] = "Ada Admin",
            [CardIds.CardNumber] = "4000 0000 0000 9995",
            [CardIds.ExpiryMonth] = "05",
            [CardIds.ExpiryYear] = NextYear,
            [CardIds.SecurityCode] = "123",
        }), "Review and pay");

        var declined = await chat.SubmitAsync(review, CardIds.Save);
        Assert.Contains("insufficient funds", CardWith(declined, "The payment was declined").Json, StringComparison.OrdinalIgnoreCase);
        var again = CardWith(declined, CardIds.ActionUseAnotherCard);

        var cards = CardWith(await chat.SubmitAsync(again, CardIds.ChooseAction, choice: CardIds.ActionUseAnotherCard), CardIds.PaymentMethodId);
        var mastercard = (string)TeamsChat.Descendants(cards.Card).Single(node => (string?)node["id"] == CardIds.PaymentMethodId)["choices"]!.AsArray()
            .Single(choice => ((string?)choice!["title"])!.StartsWith("Mastercard", StringComparison.Ordinal))!["value"]!;
        var secondReview = CardWith(await chat.SubmitAsync(cards, CardIds.SubmitChosenCard, new Dictionary<string, string> { [CardIds.PaymentMethodId] = mastercard }), "Review and pay");
        Assert.Contains("Payment received", CardWith(await chat.SubmitAsync(secondReview, CardIds.Save), "Payment received").Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ends_politely_and_the_old_card_then_says_its_step_is_done()
    {
        var chat = _host.Chat("owner-5");
        var actions = await ChooseAsync(chat, Premium);
        var cancelled = Assert.Single(await chat.SubmitAsync(actions, CardIds.Cancel));
        Assert.Contains("Nothing was changed and nothing was charged", cancelled.Text, StringComparison.Ordinal);

        var stale = Assert.Single(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry));
        Assert.Contains("already done", stale.Json, StringComparison.Ordinal);
        Assert.Contains("nothing to cancel", Assert.Single(await chat.SayAsync("cancel")).Text!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_invalid_expiry_is_re_prompted_with_its_reason()
    {
        var chat = _host.Chat("owner-6");
        var actions = await ChooseAsync(chat, Premium);
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
        var lastYear = (DateTime.UtcNow.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains("Choose the month.", CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "13", [CardIds.ExpiryYear] = NextYear }), "problem").Json, StringComparison.Ordinal);
        Assert.Contains("Choose the year.", CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "01", [CardIds.ExpiryYear] = lastYear }), "problem").Json, StringComparison.Ordinal);
        if (DateTime.UtcNow.Month > 1)
        {
            var thisYear = DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("in the past", CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "01", [CardIds.ExpiryYear] = thisYear }), "problem").Json, StringComparison.Ordinal);
        }
        var typed = Assert.Single(await chat.SayAsync("April next year"));
        Assert.Contains("card", typed.Text!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Review and pay", CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Review and pay").Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_flow_in_Dutch_by_personal_choice()
    {
        var chat = _host.Chat("owner-7", locale: "en-US");
        Assert.Contains("Nederlands", Assert.Single(await chat.SayAsync("taal nl")).Text!, StringComparison.Ordinal);
        var list = CardWith(await chat.SayAsync("vereffenen"), "Welk abonnement");
        var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = SubscriptionId(list, Premium) }), "Vervaldatum wijzigen");
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), "Nieuwe vervaldatum");
        Assert.Contains("april", form.Json, StringComparison.Ordinal);
        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Controleren en betalen");
        Assert.Contains("Opslaan", review.Json, StringComparison.Ordinal);
        var receipt = CardWith(await chat.SubmitAsync(review, CardIds.Save), "Betaling ontvangen");
        Assert.Contains("48 uur", receipt.Json, StringComparison.Ordinal);
        Assert.Contains("264,00", receipt.Json, StringComparison.Ordinal);
        Assert.Contains("dat begreep ik niet", Assert.Single(await chat.SayAsync("goedemorgen")).Text!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_wrong_choice_is_refused_with_its_reason()
    {
        var chat = _host.Chat("owner-9");
        var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
        var wrong = await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = "someone-elses" });
        Assert.Contains("Choose one of the subscriptions in the list.", CardWith(wrong, "problem").Json, StringComparison.Ordinal);

        var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = SubscriptionId(list, Phone) }), CardIds.ActionAddCard);
        // The card offers no expiry edit to a non-owner; a crafted submit asking for one is refused all the same.
        var forged = await chat.SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "message",
            ["replyToId"] = actions.ActivityId,
            ["value"] = new System.Text.Json.Nodes.JsonObject
            {
                ["verb"] = CardIds.ChooseAction,
                ["choice"] = CardIds.ActionEditExpiry,
                ["promptId"] = (string?)TeamsChat.Descendants(actions.Card).First(node => node["data"]?["promptId"] is not null)["data"]!["promptId"],
            },
        });
        Assert.Contains("Only the owner of the card can change its expiry date", Assert.Single(forged).Text!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_in_a_team_the_welcome_points_to_the_personal_chat()
    {
        var chat = _host.Chat("owner-10");
        var welcome = await chat.SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "conversationUpdate",
            ["conversation"] = new System.Text.Json.Nodes.JsonObject { ["id"] = chat.ConversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "tenant-1" },
            ["membersAdded"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = "28:pastduebot" }),
        });
        Assert.Contains("1:1 chat", Assert.Single(welcome).Json, StringComparison.Ordinal);
        // Teams also sends installationUpdate for the same install: one welcome per conversation.
        Assert.Empty(await chat.SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "installationUpdate",
            ["action"] = "add",
            ["conversation"] = new System.Text.Json.Nodes.JsonObject { ["id"] = chat.ConversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "tenant-1" },
        }));
        Assert.Contains("1:1 chat", Assert.Single(await chat.SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "message",
            ["text"] = "<at>PastDueBot</at> settle",
            ["conversation"] = new System.Text.Json.Nodes.JsonObject { ["id"] = chat.ConversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "tenant-1" },
        })).Text!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Welcome_on_install_and_help_on_request()
    {
        var chat = _host.Chat("owner-8");
        var welcome = await chat.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "installationUpdate", ["action"] = "add" });
        Assert.Contains("Hi, I'm PastDueBot", Assert.Single(welcome).Json, StringComparison.Ordinal);
        Assert.Contains("What I can do", Assert.Single(await chat.SayAsync("help")).Json, StringComparison.Ordinal);
        Assert.Contains("didn't catch that", Assert.Single(await chat.SayAsync("good morning")).Text!, StringComparison.Ordinal);
    }
}
