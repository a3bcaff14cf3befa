using System.Collections.Concurrent;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// An <see cref="IStorage"/> in memory with the contract's ETag rules (null = create only, "*" = upsert, else If-Match),
/// for protocol tests that need storage but are not about it.
/// </summary>
public sealed class InMemoryTestStorage : IStorage
{
    private readonly Dictionary<string, StoreItem> _items = new(StringComparer.Ordinal);
    private int _version;

    public int WriteCount { get; private set; }

    public Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        lock (_items)
        {
            IReadOnlyDictionary<string, StoreItem> found = keys.Where(_items.ContainsKey).Distinct().ToDictionary(k => k, k => _items[k]);
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        lock (_items)
        {
            foreach (var (key, item) in changes)
            {
                var exists = _items.TryGetValue(key, out var stored);
                var ok = item.ETag switch
                {
                    null => !exists,
                    StoreItem.AnyETag => true,
                    var etag => exists && stored!.ETag == etag,
                };
                if (!ok) throw new StorageConflictException(key);
            }

            var etags = new Dictionary<string, string>();
            foreach (var (key, item) in changes)
            {
                var etag = $"\"{++_version}\"";
                _items[key] = new StoreItem(item.Json, etag);
                etags[key] = etag;
            }
            WriteCount++;
            return Task.FromResult<IReadOnlyDictionary<string, string>>(etags);
        }
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        lock (_items)
        {
            foreach (var key in keys) _items.Remove(key);
        }
        return Task.CompletedTask;
    }
}
