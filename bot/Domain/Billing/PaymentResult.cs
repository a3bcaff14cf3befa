namespace PastDueBot.Domain.Billing;

public enum PaymentOutcome
{
    Paid,
    Declined,
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
