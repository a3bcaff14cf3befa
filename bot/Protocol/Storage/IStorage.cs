namespace PastDueBot.Protocol.Storage;

/// <summary>
/// A store of JSON documents with ETags (SDK: IStorage). Writes are conditional, as in HTTP:
/// <list type="bullet">
/// <item><c>ETag == null</c>: create only (If-None-Match: *); fails if the key exists.</item>
/// <item><c>ETag == "*"</c>: unconditional upsert.</item>
/// <item>any other ETag: replace only if the stored ETag is that one (If-Match); fails if the key is absent.</item>
/// </list>
/// Every successful write assigns a new ETag. A failed condition throws <see cref="StorageConflictException"/>
/// and writes nothing of that batch. Unlike the SDK's BotState, nothing here is last-writer-wins unless the
/// caller asks for "*". A caller that loses a race re-reads and re-applies its change
/// (<see cref="StorageRetry"/>), or avoids the race by serialising its writers (the adapter does so per conversation).
/// Implementations: MemoryStorage (tests), SqlStorage (SQLite, PostgreSQL); callers never depend on which.
/// </summary>
public interface IStorage
{
    /// <summary>Reads the documents that exist; missing keys are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes all changes atomically; returns the new ETag of each key.</summary>
    Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default);

    /// <summary>Deletes the keys; missing keys are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);
}

/// <summary>One stored document: its JSON text and the ETag it was read with (or the write condition).</summary>
public sealed record StoreItem(string Json, string? ETag)
{
    public const string AnyETag = "*";
}

/// <summary>A conditional write lost a race: someone else wrote the document since it was read.</summary>
public sealed class StorageConflictException(string key)
    : Exception($"ETag conflict on '{key}': the document changed since it was read.")
{
    public string Key { get; } = key;
}
