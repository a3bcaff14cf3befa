namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// Wraps a bot so its states are saved when its turn handler returns (SDK: AutoSaveStateMiddleware).
/// Nothing is saved when the handler throws, so a failed turn leaves the stored state as it was.
/// </summary>
public sealed class AutoSaveStateBot(IBot inner, BotStateSet states) : IBot
{
    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(states);
        await inner.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await states.SaveAllChangesAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
    }
}
