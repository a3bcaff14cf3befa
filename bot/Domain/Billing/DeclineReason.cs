namespace PastDueBot.Domain.Billing;

/// <summary>Why the processor refused a payment.</summary>
public enum DeclineReason
{
    ExpiredCard,
    Declined,
    InsufficientFunds,
    IncorrectSecurityCode,
    ProcessorUnavailable,
}
