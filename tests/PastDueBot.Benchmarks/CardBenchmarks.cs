using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using PastDueBot.Cards;
using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Benchmarks;

/// <summary>
/// Building a settle card and turning it into what goes on the wire. "addCard" is the biggest settle card (the new-card
/// form: 12 months and 21 years of choices, four validated inputs); "review" is the Save card every flow ends on.
/// </summary>
[MemoryDiagnoser]
public class CardBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly PaymentMethod Visa = new("pm-visa", CardBrand.Visa, "4242", new CardExpiry(10, 2026), "Contoso Ltd", "admin-1", "Ada Admin");
    private static readonly Subscription Premium = new("sub-1", "tenant-1", "Microsoft 365 Business Premium", new Money(264m, "USD"), Now.AddDays(-12), DeclineReason.ExpiredCard, Visa.Id, null);
    private static readonly CardStamp Stamp = CardStamp.Of(("promptId", "94c70e28e25948b4bbd6a68cb80602a8"));

    private BotTexts _texts = null!;

    [Params("addCard", "review")]
    public string Card { get; set; } = "addCard";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        _texts = new BotTexts(services.GetRequiredService<IStringLocalizer<BotText>>());
        BotLanguages.Apply(BotLanguages.English);
        Console.WriteLine($"// {Card}: {CardJson.Serialize(Build()).Length} characters of card JSON");
    }

    [Benchmark(Description = "build card + CardJson.Serialize")]
    public string BuildAndSerialize() => CardJson.Serialize(Build());

    [Benchmark(Description = "build card + reply activity to wire bytes")]
    public byte[] BuildReplyBytes()
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Attachments = [Attachment.AdaptiveCard(CardJson.ToElement(Build()))],
        };
        return JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Context.Activity);
    }

    private AdaptiveCard Build()
    {
        // The builders read the culture of the calling flow, as a turn does after BotLanguages.Apply.
        BotLanguages.Apply(BotLanguages.English);
        return Card == "addCard"
            ? FormCards.AddCard(_texts, Today, Stamp)
            : PaymentCards.Review(_texts, Premium, Visa, new CardExpiry(4, 2027), Stamp);
    }
}
