namespace PastDueBot.Domain.Billing;

/// <summary>
/// A subscription as billing sees it. It is past due while <see cref="Balance"/> is above zero
/// after a failed payment; <see cref="PastDueSince"/> starts the grace period.
/// </summary>
public sealed record Subscription(
    string Id,
    string TenantId,
    string ProductName,
    Money Balance,
    DateTimeOffset? PastDueSince,
    DeclineReason? LastDeclineReason,
    string PaymentMethodId,
    DateTimeOffset? NextLifecycleDate)
{
    public bool IsPastDue => Balance.Amount > 0 && PastDueSince is not null;

    /// <summary>Whole days since the payment failed, as of <paramref name="now"/>.</summary>
    public int DaysPastDue(DateTimeOffset now) =>
        PastDueSince is { } since ? Math.Max(0, (int)(now - since).TotalDays) : 0;
}
