namespace PastDueBot.Conversation.Settle;

/// <summary>Configuration section "Settle".</summary>
public sealed class SettleOptions
{
    public const string SectionName = "Settle";

    /// <summary>
    /// How long Save waits for the processor before saying "working on it" and posting the result later. Teams
    /// re-sends a request it has not had an answer to within about 15 s, so this stays well below that.
    /// </summary>
    public TimeSpan PaymentWait { get; set; } = TimeSpan.FromSeconds(2.5);
}
