using System.Globalization;

namespace PastDueBot.Protocol.Storage;

/// <summary>
/// An in-process <see cref="IStorage"/> with exactly the ETag semantics of the durable stores, for tests and
/// benchmarks. One lock makes each batch atomic: every condition is checked before anything is written.
/// </summary>
public sealed class MemoryStorage : IStorage
{
    private readonly Dictionary<string, StoreItem> _documents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _lastETag;

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_documents.TryGetValue(key, out var item)) found[key] = item;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, StoreItem>>(found);
    }

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (key, change) in changes)
            {
                _documents.TryGetValue(key, out var current);
                if (!StorageConditions.Holds(change.ETag, current?.ETag)) throw new StorageConflictException(key);
            }
            foreach (var (key, change) in changes)
            {
                var etag = (++_lastETag).ToString(CultureInfo.InvariantCulture);
                _documents[key] = new StoreItem(change.Json, etag);
                written[key] = etag;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(written);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var key in keys) _documents.Remove(key);
        }
        return Task.CompletedTask;
    }
}
