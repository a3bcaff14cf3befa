namespace PastDueBot.Domain.Billing;

public enum PaymentOutcome
{
    Paid,
    Declined,

    /// <summary>The balance was already zero (paid by an earlier request with another key): nothing was charged.</summary>
    NothingDue,
}

/// <summary>What happened to a settle request. Replaying the same idempotency key returns the same result.</summary>
public sealed record PaymentResult(
    PaymentOutcome Outcome,
    string SubscriptionId,
    Money Amount,
    PaymentMethod Card,
    string? Reference,
    DeclineReason? DeclineReason,
    DateTimeOffset At);
