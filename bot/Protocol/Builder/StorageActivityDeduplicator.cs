using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Marks activity ids in <see cref="IStorage"/> with a create-only write (ETag null), so the first instance to
/// write wins, across processes. A mark older than <see cref="Window"/> counts as expired and may be claimed again
/// (If-Match on its ETag, so two claimers still race safely).
/// Pruning: IStorage cannot list keys, so marks are not deleted here. Every key starts with <see cref="KeyPrefix"/>
/// and holds <c>{"seenAt":…}</c>; the SQL storage can drop rows under that prefix older than the window
/// (a mark is ~100 bytes, one per inbound activity).
/// </summary>
public sealed class StorageActivityDeduplicator(IStorage storage, TimeProvider timeProvider) : IActivityDeduplicator
{
    public const string KeyPrefix = "pastduebot/activity-seen/";

    /// <summary>Teams retries within a minute; an hour leaves a wide margin and bounds what a mark blocks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task<bool> TryBeginAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        var key = KeyFor(channelId, conversationId, activityId);
        var now = timeProvider.GetUtcNow();
        var mark = new StoreItem(JsonSerializer.Serialize(new { seenAt = now.ToString("O", CultureInfo.InvariantCulture) }), null);

        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreItem> { [key] = mark }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            // Seen before: a redelivery, unless the mark is stale.
        }

        var existing = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        if (!existing.TryGetValue(key, out var stored) || stored.ETag is null) return false;
        if (ReadSeenAt(stored.Json) is { } seenAt && now - seenAt < Window) return false;

        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreItem> { [key] = mark with { ETag = stored.ETag } }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            return false;
        }
    }

    /// <summary>Hashed so any id a channel sends makes a short, safe key.</summary>
    public static string KeyFor(string channelId, string conversationId, string activityId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}\n{activityId}"));
        return KeyPrefix + Convert.ToHexStringLower(hash);
    }

    private static DateTimeOffset? ReadSeenAt(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("seenAt", out var v) && v.TryGetDateTimeOffset(out var at) ? at : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
