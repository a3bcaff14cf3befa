namespace PastDueBot.Storage.Billing;

/// <summary>Settings of the embedded demo ledger (section <c>Billing:Demo</c>).</summary>
public sealed class DemoBillingOptions
{
    public const string Section = "Billing:Demo";

    /// <summary>How long the demo processor takes to answer a charge, to walk the "slow payment" path. Default none.</summary>
    public TimeSpan ProcessorDelay { get; set; } = TimeSpan.Zero;

    /// <summary>ISO 4217 code of the seeded balances.</summary>
    public string Currency { get; set; } = "USD";
}
