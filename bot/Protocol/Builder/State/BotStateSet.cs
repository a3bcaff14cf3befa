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

    public async Task LoadAllAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        foreach (var state in _states)
        {
            await state.LoadAsync(turnContext, force, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves every changed state; one write per storage.</summary>
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
            var storage = (IStorage)batch.Key!;
            var etags = await storage.WriteAsync(writes.ToDictionary(w => w.Key, w => w.Item, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
            foreach (var write in writes) BotState.Committed(write, etags[write.Key]);
        }
    }
}
