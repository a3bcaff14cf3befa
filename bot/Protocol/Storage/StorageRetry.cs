using System.Text.Json;

namespace PastDueBot.Protocol.Storage;

/// <summary>
/// The retry half of "a stale write fails and the turn retries or serialises". An attempt must be a whole
/// read-modify-write: it re-reads (getting the current ETag), re-applies its change and writes conditionally.
/// Retrying only the write would just fail again, and writing with "*" would lose the other writer's update.
/// Each failed attempt means another writer succeeded, so n contenders on one key need at most n attempts.
/// </summary>
public static class StorageRetry
{
    public const int DefaultMaxAttempts = 10;

    // Backoff tops out at 2^6 = 64 ms.
    private const int MaxBackoffShift = 6;

    /// <summary>Runs <paramref name="attempt"/> until it completes without a <see cref="StorageConflictException"/>.</summary>
    /// <exception cref="StorageConflictException">The last attempt still conflicted.</exception>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, int maxAttempts = DefaultMaxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException) when (number < maxAttempts)
            {
                // Exponential backoff with full jitter: contenders that collided spread out instead of colliding again.
                await Task.Delay(Random.Shared.Next(0, 1 << Math.Min(number, MaxBackoffShift)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{CancellationToken, Task{T}}, int, CancellationToken)"/>
    public static Task RunAsync(Func<CancellationToken, Task> attempt, int maxAttempts = DefaultMaxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RunAsync<bool>(async ct => { await attempt(ct).ConfigureAwait(false); return true; }, maxAttempts, cancellationToken);
    }

    /// <summary>
    /// Reads one JSON document, applies <paramref name="update"/> (given null when absent) and writes it back
    /// on the ETag it read (create-only when absent), retrying on conflict. Returns the value written.
    /// <paramref name="update"/> may run several times, so it must be free of side effects.
    /// </summary>
    public static Task<T> UpdateAsync<T>(this IStorage storage, string key, Func<T?, T> update, JsonSerializerOptions? options = null,
        int maxAttempts = DefaultMaxAttempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(update);
        options ??= StateJson.Options;
        return RunAsync(async ct =>
        {
            var read = await storage.ReadAsync([key], ct).ConfigureAwait(false);
            var current = read.TryGetValue(key, out var item) ? item : null;
            var contract = options.TypeInfoFor<T>();
            var value = update(current is null ? default : JsonSerializer.Deserialize(current.Json, contract));
            var json = JsonSerializer.Serialize(value, contract);
            await storage.WriteAsync(new Dictionary<string, StoreItem> { [key] = new(json, current?.ETag) }, ct).ConfigureAwait(false);
            return value;
        }, maxAttempts, cancellationToken);
    }
}
