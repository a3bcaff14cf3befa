namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// Wraps a bot so its states are loaded before its turn handler runs and saved when it returns
/// (SDK: AutoSaveStateMiddleware), with the turn's other pending writes (<see cref="TurnStorageWrites"/>).
/// Nothing is saved when the handler throws, so a failed turn leaves the stored state as it was.
/// </summary>
public sealed class AutoSaveStateBot(IBot inner, BotStateSet states) : IBot
{
    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(states);
        // One read per storage up front instead of one per state on first use (the SDK loads lazily).
        await states.LoadAllAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
        await inner.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await states.SaveAllChangesAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
    }
}
