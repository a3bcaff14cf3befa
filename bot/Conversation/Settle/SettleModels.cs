using System.Text.Json.Serialization;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Settle;

/// <summary>Begin options of the settle flow: a subscription to go straight to, e.g. from an alert card's button.</summary>
public sealed record SettleStart(string? SubscriptionId = null);

/// <summary>
/// Begin options of one payment round. <see cref="FlowId"/> identifies the whole settle run and
/// <see cref="Attempt"/> counts rounds after a decline, so each Save has its own idempotency key.
/// </summary>
public sealed record PayRound(string FlowId, string SubscriptionId, int Attempt);

/// <summary>A payment that was submitted and whose result is awaited; all of it is safe to persist.</summary>
public sealed record PendingPayment(string TenantId, string AdminId, string SubscriptionId, string PaymentMethodId, int? NewExpiryMonth, int? NewExpiryYear, string IdempotencyKey)
{
    [JsonIgnore] public BillingAccount Account => new(TenantId, AdminId);

    [JsonIgnore] public SettleRequest Request => new(SubscriptionId, PaymentMethodId,
        NewExpiryMonth is { } month && NewExpiryYear is { } year ? new CardExpiry(month, year) : null, IdempotencyKey);
}

/// <summary>What Save led to: a result from the processor, or the owner rule refusing an expiry edit.</summary>
public sealed record SaveOutcome(PaymentResult? Result, bool NotCardOwner = false);
