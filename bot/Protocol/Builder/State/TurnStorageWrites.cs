using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// Documents a turn owes storage besides its bot states, such as the record that the activity was handled.
/// A state save on the same storage puts them in its atomic batch, so the turn's state and that record commit
/// together or not at all (and the turn pays for one write instead of two). Kept in
/// <see cref="ITurnContext.TurnState"/>; whoever added a write checks <see cref="IsPending"/> at the end of the turn
/// and writes it alone if no state save took it.
/// </summary>
public sealed class TurnStorageWrites
{
    private readonly List<Entry> _entries = [];

    /// <summary>The turn's writes, created on first use.</summary>
    public static TurnStorageWrites Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<TurnStorageWrites>() is { } writes) return writes;
        writes = new TurnStorageWrites();
        turnContext.TurnState.Set(writes);
        return writes;
    }

    /// <summary>Adds (or replaces) a pending write of <paramref name="key"/> on <paramref name="storage"/>.</summary>
    public void Add(IStorage storage, string key, StoreItem item)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(item);
        _entries.RemoveAll(e => ReferenceEquals(e.Storage, storage) && e.Key == key);
        _entries.Add(new Entry(storage, key, item));
    }

    public bool IsPending(IStorage storage, string key) => _entries.Exists(e => ReferenceEquals(e.Storage, storage) && e.Key == key);

    /// <summary>The writes still owed to <paramref name="storage"/>.</summary>
    public IEnumerable<KeyValuePair<string, StoreItem>> PendingFor(IStorage storage)
        => _entries.Where(e => ReferenceEquals(e.Storage, storage)).Select(e => KeyValuePair.Create(e.Key, e.Item));

    /// <summary>Records that a batch on <paramref name="storage"/> holding <paramref name="keys"/> committed.</summary>
    public void Committed(IStorage storage, IEnumerable<string> keys)
    {
        var written = keys.ToHashSet(StringComparer.Ordinal);
        _entries.RemoveAll(e => ReferenceEquals(e.Storage, storage) && written.Contains(e.Key));
    }

    private sealed record Entry(IStorage Storage, string Key, StoreItem Item);
}
