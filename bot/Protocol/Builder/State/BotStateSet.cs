using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// The states a turn saves together at its end (SDK: BotStateSet). States on the same storage are written in
/// one atomic batch, so a conflict on any of them writes none (conversation and user state never half-saved).
/// </summary>
public sealed class BotStateSet
{
    private readonly List<BotState> _states;

    public BotStateSet(params IEnumerable<BotState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        _states = [.. states];
        if (_states.Any(s => s is null)) throw new ArgumentException("A state set cannot hold null.", nameof(states));
    }

    public IReadOnlyList<BotState> States => _states;

    public BotStateSet Add(BotState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _states.Add(state);
        return this;
    }

    /// <summary>Loads every state not yet cached (all with <paramref name="force"/>): one read per storage.</summary>
    public async Task LoadAllAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var toLoad = force ? _states : _states.Where(s => !s.IsLoaded(turnContext)).ToList();
        foreach (var group in toLoad.GroupBy(s => s.Storage, ReferenceEqualityComparer.Instance))
        {
            var states = group.ToList();
            if (states.Count == 1)
            {
                await states[0].LoadAsync(turnContext, force: true, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var keys = states.Select(s => s.GetStorageKey(turnContext)).Distinct(StringComparer.Ordinal).ToList();
            var items = await ((IStorage)group.Key!).ReadAsync(keys, cancellationToken).ConfigureAwait(false);
            foreach (var state in states) state.Loaded(turnContext, items);
        }
    }

    /// <summary>
    /// Saves every changed state, with the turn's other pending writes on the same storage
    /// (<see cref="TurnStorageWrites"/>): one atomic write per storage.
    /// </summary>
    /// <exception cref="StorageConflictException">A state changed in storage since this turn read it; nothing of that storage's batch was written.</exception>
    public async Task SaveAllChangesAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var pending = _states.Select(s => s.PrepareWrite(turnContext, force)).OfType<BotState.PendingWrite>().ToList();
        foreach (var batch in pending.GroupBy(w => w.Owner.Storage, ReferenceEqualityComparer.Instance))
        {
            var writes = batch.ToList();
            if (writes.Select(w => w.Key).Distinct(StringComparer.Ordinal).Count() != writes.Count)
            {
                throw new InvalidOperationException("Two states in one set share a storage key: " + string.Join(", ", writes.Select(w => w.Key)));
            }
            await BotState.WriteBatchAsync((IStorage)batch.Key!, turnContext, writes, cancellationToken).ConfigureAwait(false);
        }
    }
}
