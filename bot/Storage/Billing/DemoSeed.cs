using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Demo;

namespace PastDueBot.Storage.Billing;

/// <summary>
/// What every person finds on first contact, so each branch of the settle flow can be walked:
/// <list type="bullet">
/// <item>Microsoft 365 Business Premium, 264.00 past due 12 days: Visa ****4242, owned by the person, EXPIRED
///   last month (declined ExpiredCard) → "update the expiry" then Save pays.</item>
/// <item>Microsoft Teams Phone Standard, 80.00 past due 3 days: Visa ****9995 owned by Megan Bowen (declined
///   InsufficientFunds) → no expiry edit; pick another card or add one.</item>
/// <item>Exchange Online (Plan 1): paid up, not listed as past due.</item>
/// <item>Saved cards: Mastercard ****4444 of the person (valid: "use another card"), Discover ****1117 of the
///   person (expired long ago: shown, not selectable).</item>
/// </list>
/// </summary>
internal static class DemoSeed
{
    public sealed record SeedCard(string Key, CardBrand Brand, string LastFour, CardExpiry Expiry, string Holder, bool OwnedByAdmin, DeclineReason? TestDecline);

    public sealed record SeedSubscription(string ProductName, decimal Balance, int DaysPastDue, DeclineReason? LastDecline, string CardKey);

    public static IReadOnlyList<SeedCard> Cards(DateOnly today)
    {
        var lastMonth = today.AddMonths(-1);
        var longAgo = today.AddMonths(-14);
        return
        [
            new("expired-own", CardBrand.Visa, "4242", new CardExpiry(lastMonth.Month, lastMonth.Year), "Contoso Ltd", true, null),
            new("megan", CardBrand.Visa, "9995", new CardExpiry(8, today.Year + 2), DemoPeople.MeganBowenName, false, DeclineReason.InsufficientFunds),
            new("valid-own", CardBrand.Mastercard, "4444", new CardExpiry(3, today.Year + 3), "Contoso Ltd", true, null),
            new("old-own", CardBrand.Discover, "1117", new CardExpiry(longAgo.Month, longAgo.Year), "Contoso Ltd", true, null),
        ];
    }

    public static IReadOnlyList<SeedSubscription> Subscriptions { get; } =
    [
        new("Microsoft 365 Business Premium", 264.00m, 12, DeclineReason.ExpiredCard, "expired-own"),
        new("Microsoft Teams Phone Standard", 80.00m, 3, DeclineReason.InsufficientFunds, "megan"),
        new("Exchange Online (Plan 1)", 0m, 0, null, "valid-own"),
    ];

    /// <summary>Microsoft retries for 30 days before the subscription moves on in its lifecycle.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(30);
}
