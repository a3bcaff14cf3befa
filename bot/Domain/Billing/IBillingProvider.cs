namespace PastDueBot.Domain.Billing;

/// <summary>
/// The billing system behind the bot. No public API exposes Microsoft 365 payment instruments, so this is a port:
/// the embedded demo ledger implements it, and a real commerce backend can.
/// </summary>
public interface IBillingProvider
{
    /// <summary>Subscriptions with an outstanding balance that the admin can see, oldest first.</summary>
    Task<IReadOnlyList<Subscription>> GetPastDueSubscriptionsAsync(BillingAccount account, CancellationToken cancellationToken = default);

    Task<Subscription?> GetSubscriptionAsync(BillingAccount account, string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Every saved card of the account, expired ones included.</summary>
    Task<IReadOnlyList<PaymentMethod>> GetPaymentMethodsAsync(BillingAccount account, CancellationToken cancellationToken = default);

    /// <summary>Sends the full number and security code to the processor's tokenisation and keeps only the masked card.</summary>
    Task<PaymentMethod> AddCardAsync(BillingAccount account, NewCard card, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the change and pays the full balance, at most once per <see cref="SettleRequest.IdempotencyKey"/>:
    /// a replay returns the first result without charging. Throws <see cref="NotCardOwnerException"/> when a non-owner
    /// edits the expiry, <see cref="CardRejectedException"/> for an unusable new expiry,
    /// <see cref="IdempotencyKeyReusedException"/> when the key was used for another request, and
    /// <see cref="KeyNotFoundException"/> for a subscription or card the account does not have.
    /// </summary>
    Task<PaymentResult> SettleAsync(BillingAccount account, SettleRequest request, CancellationToken cancellationToken = default);

    /// <summary>All past-due subscriptions of a tenant, for the alert scanner.</summary>
    Task<IReadOnlyList<Subscription>> ScanPastDueAsync(string tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Only the owner of a card may change its expiry date.</summary>
public sealed class NotCardOwnerException(string paymentMethodId)
    : InvalidOperationException($"Only the owner of payment method {paymentMethodId} can change its expiry date.")
{
    public string PaymentMethodId { get; } = paymentMethodId;
}

/// <summary>A card the processor will not tokenise, or an expiry it will not accept (bad number, expired, wrong security code format).</summary>
public sealed class CardRejectedException : InvalidOperationException
{
    public CardRejectedException(string reason)
        : base(reason)
    {
        Errors = [];
    }

    /// <summary>Carries the codes only: the message never repeats what was typed.</summary>
    public CardRejectedException(IReadOnlyList<CardValidationError> errors)
        : base($"The card was rejected: {string.Join(", ", errors)}.")
    {
        Errors = errors;
    }

    public IReadOnlyList<CardValidationError> Errors { get; }
}

/// <summary>An idempotency key already used for a different request (another subscription, card or expiry).</summary>
public sealed class IdempotencyKeyReusedException(string idempotencyKey)
    : InvalidOperationException($"Idempotency key {idempotencyKey} was already used for a different settle request.")
{
    public string IdempotencyKey { get; } = idempotencyKey;
}
