namespace PastDueBot.Domain.Billing;

/// <summary>
/// "Save" in the settle flow: make <see cref="PaymentMethodId"/> the card of the subscription (after applying
/// <see cref="NewExpiry"/> when the owner edited it) and pay the full outstanding balance at once.
/// The <see cref="IdempotencyKey"/> makes a double click, a redelivered activity or a retry charge once.
/// </summary>
public sealed record SettleRequest(
    string SubscriptionId,
    string PaymentMethodId,
    CardExpiry? NewExpiry,
    string IdempotencyKey);
