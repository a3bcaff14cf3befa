using PastDueBot.Alerts.Storage;
using PastDueBot.Storage.Sql;
using static PastDueBot.Storage.Sql.SqlCommands;

namespace PastDueBot.Alerts.Outbox;

/// <summary>One decided send: the alert (post), a card update, or a reminder, for one episode in one channel.</summary>
public sealed record OutboxItem(string Id, string EpisodeId, string ChannelId, string Kind, int Seq, int Attempts);

public static class OutboxKinds
{
    public const string Post = "post";
    public const string Update = "update";
    public const string Remind = "remind";
}

/// <summary>
/// The durable outbox's state machine: pending → (claimed) → sending → sent, or back to pending with a later
/// <c>next_attempt_at</c>, or blocked / failed / skipped / unconfirmed. Claims carry an expiry so a dead instance's
/// rows return to the pool; PostgreSQL claims with <c>FOR UPDATE SKIP LOCKED</c>, SQLite serialises writers anyway.
/// A finished row keeps <c>claimed_by</c>: the instance (machine/process id/start) that sent it, or died sending it.
/// </summary>
public sealed class OutboxStore(AlertsStore store, TimeProvider time)
{
    private long Now => ToUnixMs(time.GetUtcNow());

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string claimer, int count, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        await using var turn = await store.WriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var lockClause = store.Database.Dialect == SqlDialect.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var now = Now;
        await using var command = Command(connection, null,
            "UPDATE alert_outbox SET claimed_by = @me, claimed_until = @until WHERE id IN (" +
            "SELECT id FROM alert_outbox WHERE state = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now) " +
            "ORDER BY next_attempt_at, id LIMIT @n" + lockClause + ") " +
            "RETURNING id, episode_id, channel_id, kind, seq, attempts",
            ("@me", claimer), ("@until", now + (long)claimFor.TotalMilliseconds), ("@now", now), ("@n", count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<OutboxItem>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(reader.GetRequiredString("id"), reader.GetRequiredString("episode_id"), reader.GetRequiredString("channel_id"), reader.GetRequiredString("kind"),
                (int)reader.GetInt64("seq"), (int)reader.GetInt64("attempts")));
        }
        return items;
    }

    /// <summary>
    /// Written just before a non-idempotent POST: from here on the row is never sent again automatically. False when
    /// the claim was lost (it expired and another instance took the row).
    /// </summary>
    public async Task<bool> MarkSendingAsync(OutboxItem item, string claimer, TimeSpan sendTimeout, CancellationToken cancellationToken)
    {
        await using var turn = await store.WriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "UPDATE alert_outbox SET state = 'sending', attempts = attempts + 1, claimed_until = @until WHERE id = @id AND claimed_by = @me AND state = 'pending'",
            cancellationToken, ("@id", item.Id), ("@me", claimer), ("@until", Now + (long)sendTimeout.TotalMilliseconds)).ConfigureAwait(false) == 1;
    }

    /// <summary>The alert is in the channel: its thread and root post id are stored in the same transaction as "sent".</summary>
    public async Task CompletePostAsync(OutboxItem item, string threadId, string activityId, CancellationToken cancellationToken)
    {
        await using var turn = await store.WriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        await ExecuteAsync(connection, transaction,
            "INSERT INTO alert_posts (episode_id, channel_id, thread_id, activity_id, posted_at) VALUES (@e, @c, @t, @a, @now) ON CONFLICT (episode_id, channel_id) DO NOTHING",
            cancellationToken, ("@e", item.EpisodeId), ("@c", item.ChannelId), ("@t", threadId), ("@a", activityId), ("@now", now)).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "UPDATE alert_outbox SET state = 'sent', completed_at = @now, claimed_until = NULL, last_error = NULL WHERE id = @id",
            cancellationToken, ("@id", item.Id), ("@now", now)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync(OutboxItem item, string state, string? reason, CancellationToken cancellationToken) =>
        SetAsync("UPDATE alert_outbox SET state = @s, last_error = @r, completed_at = @now, claimed_until = NULL WHERE id = @id",
            cancellationToken, ("@id", item.Id), ("@s", state), ("@r", reason), ("@now", Now));

    /// <summary>Back to the pool at <paramref name="at"/>; <paramref name="countAttempt"/> false for a deferral that is no failure.</summary>
    public Task RetryAsync(OutboxItem item, DateTimeOffset at, string? reason, bool countAttempt, CancellationToken cancellationToken) =>
        SetAsync("UPDATE alert_outbox SET state = 'pending', next_attempt_at = @at, last_error = @r, claimed_by = NULL, claimed_until = NULL, " +
            "attempts = attempts + @inc WHERE id = @id",
            cancellationToken, ("@id", item.Id), ("@at", ToUnixMs(at)), ("@r", reason), ("@inc", countAttempt ? 1 : 0));

    /// <summary>Sends that started but whose process never recorded an answer: in doubt, so not repeated (see README).</summary>
    public async Task<int> SweepUnconfirmedAsync(CancellationToken cancellationToken)
    {
        await using var turn = await store.WriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "UPDATE alert_outbox SET state = 'unconfirmed', last_error = 'no answer recorded (process stopped or timed out)', completed_at = @now, " +
            "claimed_until = NULL WHERE state = 'sending' AND claimed_until < @now",
            cancellationToken, ("@now", Now)).ConfigureAwait(false);
    }

    /// <summary>The state of the alert (post) row of an episode in a channel, or null when none was decided.</summary>
    public async Task<string?> PostStateAsync(string episodeId, string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT state FROM alert_outbox WHERE episode_id = @e AND channel_id = @c AND kind = 'post'",
            ("@e", episodeId), ("@c", channelId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Rows per state, for status and tests.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT state, COUNT(*) FROM alert_outbox GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }

    private async Task SetAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var turn = await store.WriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
    }
}
