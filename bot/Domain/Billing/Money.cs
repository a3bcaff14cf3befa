namespace PastDueBot.Domain.Billing;

/// <summary>An amount in a currency (ISO 4217 code). Formatting for people is the conversation layer's job.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public override string ToString() => $"{Amount:0.00} {Currency}";
}
