using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Records handled activity ids in <see cref="IStorage"/>. The record is written with the turn's state, in the same
/// batch (<see cref="TurnStorageWrites"/>), so "this turn ran" and "what it changed" commit together: a turn that
/// failed or whose process died leaves no record and runs again when Teams redelivers it; one that completed never
/// runs twice. A record older than <see cref="Window"/> counts as expired. The write is conditional (create-only,
/// or If-Match on an expired record), so two instances that somehow ran the same activity cannot both commit.
/// Every key starts with <see cref="KeyPrefix"/> and holds <c>{"seenAt":…}</c>, so the SQL storage prunes expired
/// records (a record is ~100 bytes, one per inbound activity).
/// </summary>
public sealed class StorageActivityDeduplicator(IStorage storage, TimeProvider timeProvider) : IActivityDeduplicator
{
    public const string KeyPrefix = "pastduebot/activity-seen/";

    /// <summary>Teams retries within a minute; an hour leaves a wide margin and bounds what a record blocks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task<bool> TryBeginAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var key = KeyFor(turnContext.Activity);
        var now = timeProvider.GetUtcNow();
        var existing = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        string? expiredETag = null;
        if (existing.TryGetValue(key, out var stored))
        {
            if (ReadSeenAt(stored.Json) is { } seenAt && now - seenAt < Window) return false;
            expiredETag = stored.ETag;
        }

        var record = JsonSerializer.Serialize(new SeenRecord(now.ToString("O", CultureInfo.InvariantCulture)), SeenRecordJson.Default.SeenRecord);
        TurnStorageWrites.Of(turnContext).Add(storage, key, new StoreItem(record, expiredETag));
        return true;
    }

    public async Task CompleteAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var key = KeyFor(turnContext.Activity);
        var writes = TurnStorageWrites.Of(turnContext);
        if (!writes.IsPending(storage, key)) return; // saved with the turn's state
        var pending = writes.PendingFor(storage).Where(w => w.Key == key).ToDictionary(StringComparer.Ordinal);
        try
        {
            await storage.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Another delivery of this activity recorded it first; the record we wanted exists.
        }
        writes.Committed(storage, [key]);
    }

    /// <summary>Hashed so any id a channel sends makes a short, safe key.</summary>
    public static string KeyFor(string channelId, string conversationId, string activityId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}\n{activityId}"));
        return KeyPrefix + Convert.ToHexStringLower(hash);
    }

    private static string KeyFor(Schema.Activity activity)
        => KeyFor(activity.ChannelId ?? string.Empty, activity.Conversation?.Id ?? string.Empty,
            activity.Id ?? throw new InvalidOperationException("Only activities with an id are deduplicated."));

    private static DateTimeOffset? ReadSeenAt(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SeenRecordJson.Default.SeenRecord) is { SeenAt: { } text }
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record SeenRecord(string? SeenAt);

[System.Text.Json.Serialization.JsonSerializable(typeof(SeenRecord))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SeenRecordJson : System.Text.Json.Serialization.JsonSerializerContext;
