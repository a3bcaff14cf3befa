namespace PastDueBot.Protocol.Builder;

/// <summary>
/// One semaphore per conversation key, created on first use and removed when its last holder or waiter leaves,
/// so the table only ever holds conversations with a turn in flight. Correct for one instance only; a multi-instance
/// deployment registers a distributed implementation (PostgreSQL advisory locks) instead.
/// </summary>
public sealed class InProcessConversationLock : IConversationLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Keys currently held or awaited (for tests and diagnostics).</summary>
    public int ActiveKeys
    {
        get { lock (_entries) return _entries.Count; }
    }

    public async Task<IAsyncDisposable> AcquireAsync(string conversationKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(conversationKey, out entry!))
            {
                entry = new Entry();
                _entries[conversationKey] = entry;
            }
            entry.References++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(conversationKey, entry);
            throw;
        }
        return new Handle(this, conversationKey, entry);
    }

    private void Leave(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.References == 0) _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int References { get; set; }
    }

    private sealed class Handle(InProcessConversationLock owner, string key, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(key, entry);
            }
            return ValueTask.CompletedTask;
        }
    }
}
