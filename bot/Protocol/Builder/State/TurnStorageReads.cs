using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// Documents read ahead for the turn, in the same round trip as an earlier read (the deduplicator's), and handed to
/// the first load of each key in the turn instead of a second read of storage. A key read ahead and found absent
/// counts too. Each key is handed out once: a later load (a retry after a conflict) reads storage again.
/// Kept in <see cref="ITurnContext.TurnState"/>.
/// </summary>
public sealed class TurnStorageReads
{
    private readonly List<Entry> _entries = [];

    /// <summary>The turn's read-ahead, created on first use.</summary>
    public static TurnStorageReads Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<TurnStorageReads>() is { } reads) return reads;
        reads = new TurnStorageReads();
        turnContext.TurnState.Set(reads);
        return reads;
    }

    /// <summary>Records what a read of <paramref name="keys"/> on <paramref name="storage"/> returned.</summary>
    public void Add(IStorage storage, IEnumerable<string> keys, IReadOnlyDictionary<string, StoreItem> items)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var key in keys)
        {
            _entries.RemoveAll(e => ReferenceEquals(e.Storage, storage) && e.Key == key);
            _entries.Add(new Entry(storage, key, items.GetValueOrDefault(key)));
        }
    }

    /// <summary>
    /// The read-ahead result for <paramref name="keys"/> (as <see cref="IStorage.ReadAsync"/> would return it) when every
    /// one of them was read ahead, taking them; otherwise null, and nothing is taken.
    /// </summary>
    public static IReadOnlyDictionary<string, StoreItem>? TryTake(ITurnContext turnContext, IStorage storage, IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<TurnStorageReads>() is not { } reads) return null;
        var entries = reads._entries;
        foreach (var key in keys)
        {
            if (!entries.Exists(e => ReferenceEquals(e.Storage, storage) && e.Key == key)) return null;
        }

        var items = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        entries.RemoveAll(e =>
        {
            if (!ReferenceEquals(e.Storage, storage) || !keys.Contains(e.Key)) return false;
            if (e.Item is not null) items[e.Key] = e.Item;
            return true;
        });
        return items;
    }

    private sealed record Entry(IStorage Storage, string Key, StoreItem? Item);
}
