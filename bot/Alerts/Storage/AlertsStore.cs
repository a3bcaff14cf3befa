using System.Data.Common;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Sql;
using static PastDueBot.Storage.Sql.SqlCommands;

namespace PastDueBot.Alerts.Storage;

/// <summary>Channels, episodes, delivered posts and 1:1 chats. Every decision to send is an outbox insert that a replay cannot repeat.</summary>
public sealed class AlertsStore(ISqlDatabase database, TimeProvider time)
{
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    internal ISqlDatabase Database => database;

    /// <summary>
    /// On SQLite, this process's hot outbox writes take turns here: SQLite serialises writers anyway, and waiting in
    /// its busy handler (sleeps of up to 100 ms) under many concurrent sends wasted most of the permitted send rate.
    /// PostgreSQL needs no such gate.
    /// </summary>
    internal async Task<IAsyncDisposable> WriteTurnAsync(CancellationToken cancellationToken)
    {
        if (database.Dialect != SqlDialect.Sqlite) return NoTurn.Instance;
        await _sqliteWriter.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(_sqliteWriter);
    }

    private sealed class Turn(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoTurn : IAsyncDisposable
    {
        public static readonly NoTurn Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    internal async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return await database.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Migrates once per process; a failed attempt (the database briefly unreachable) is tried again next time, not kept.</summary>
    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_migrated) return;
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated) return;
            await database.MigrateAsync("alerts", AlertsSchema.Steps, cancellationToken).ConfigureAwait(false);
            _migrated = true;
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    private long Now => ToUnixMs(time.GetUtcNow());

    // ---- Channels -------------------------------------------------------------------------------------------

    /// <summary>Turns alerts on for a channel (and clears a recorded block: someone asked to try again).</summary>
    public async Task SubscribeAsync(AlertChannel channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "INSERT INTO alert_channels (channel_id, tenant_id, team_id, service_url, bot_id, locale, enabled, blocked_reason, blocked_at, updated_at) " +
            "VALUES (@c, @t, @team, @s, @b, @l, 1, NULL, NULL, @now) " +
            "ON CONFLICT (channel_id) DO UPDATE SET tenant_id = excluded.tenant_id, team_id = excluded.team_id, service_url = excluded.service_url, " +
            "bot_id = excluded.bot_id, locale = excluded.locale, enabled = 1, blocked_reason = NULL, blocked_at = NULL, updated_at = excluded.updated_at",
            cancellationToken, ("@c", channel.ChannelId), ("@t", channel.TenantId), ("@team", channel.TeamId), ("@s", channel.ServiceUrl),
            ("@b", channel.BotId), ("@l", channel.Locale), ("@now", Now)).ConfigureAwait(false);
    }

    public async Task UnsubscribeAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE alert_channels SET enabled = 0, updated_at = @now WHERE channel_id = @c",
            cancellationToken, ("@c", channelId), ("@now", Now)).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE alert_outbox SET state = 'skipped', last_error = 'alerts off', completed_at = @now WHERE channel_id = @c AND state = 'pending'",
            cancellationToken, ("@c", channelId), ("@now", Now)).ConfigureAwait(false);
    }

    /// <summary>Teams refused the bot there (removed, blocked, disabled): stop posting and keep the reason for "alerts status".</summary>
    public async Task BlockAsync(string channelId, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE alert_channels SET blocked_reason = @r, blocked_at = @now, updated_at = @now WHERE channel_id = @c",
            cancellationToken, ("@c", channelId), ("@r", reason), ("@now", Now)).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE alert_outbox SET state = 'blocked', last_error = @r, completed_at = @now WHERE channel_id = @c AND state = 'pending'",
            cancellationToken, ("@c", channelId), ("@r", reason), ("@now", Now)).ConfigureAwait(false);
    }

    public async Task<AlertChannel?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT * FROM alert_channels WHERE channel_id = @c", ("@c", channelId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadChannel(reader) : null;
    }

    /// <summary>Tenants with at least one channel that wants alerts: the scanner's work list.</summary>
    public async Task<IReadOnlyList<string>> GetSubscribedTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT DISTINCT tenant_id FROM alert_channels WHERE enabled = 1 ORDER BY tenant_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tenants = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) tenants.Add(reader.GetString(0));
        return tenants;
    }

    private static AlertChannel ReadChannel(DbDataReader reader) => new(
        reader.GetRequiredString("channel_id"), reader.GetRequiredString("tenant_id"), reader.GetNullableString("team_id"), reader.GetRequiredString("service_url"),
        reader.GetRequiredString("bot_id"), reader.GetNullableString("locale"), reader.GetInt64("enabled") == 1, reader.GetNullableString("blocked_reason"),
        reader.GetNullableInt64("blocked_at") is { } blocked ? FromUnixMs(blocked) : null);

    // ---- Episodes -------------------------------------------------------------------------------------------

    /// <summary>Opens the episode unless it exists; true when this call opened it.</summary>
    public async Task<bool> OpenEpisodeAsync(Subscription subscription, TimeSpan reminderAfter, CancellationToken cancellationToken = default)
    {
        var since = subscription.PastDueSince ?? throw new ArgumentException("The subscription is not past due.", nameof(subscription));
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return await ExecuteAsync(connection, null,
            "INSERT INTO alert_episodes (id, tenant_id, subscription_id, product, amount_minor, currency, past_due_since, decline_reason, opened_at, remind_at, reminders, revision) " +
            "VALUES (@id, @t, @s, @p, @a, @cur, @since, @r, @now, @remind, 0, 0) ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("@id", AlertEpisode.IdFor(subscription.Id, since)), ("@t", subscription.TenantId), ("@s", subscription.Id),
            ("@p", subscription.ProductName), ("@a", (long)decimal.Round(subscription.Balance.Amount * 100m)), ("@cur", subscription.Balance.Currency),
            ("@since", ToUnixMs(since)), ("@r", subscription.LastDeclineReason?.ToString()), ("@now", ToUnixMs(now)), ("@remind", ToUnixMs(now + reminderAfter))).ConfigureAwait(false) == 1;
    }

    public async Task<AlertEpisode?> GetEpisodeAsync(string episodeId, CancellationToken cancellationToken = default)
    {
        var found = await QueryEpisodesAsync("SELECT * FROM alert_episodes WHERE id = @id", cancellationToken, ("@id", episodeId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<AlertEpisode>> GetOpenEpisodesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        QueryEpisodesAsync("SELECT * FROM alert_episodes WHERE tenant_id = @t AND settled_at IS NULL ORDER BY past_due_since, id", cancellationToken, ("@t", tenantId));

    /// <summary>Marks who took the episode on; false when it was settled already.</summary>
    public async Task<bool> SetHandlerAsync(string episodeId, string handlerName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "UPDATE alert_episodes SET handler_name = @n, handler_at = @now, revision = revision + 1 WHERE id = @id AND settled_at IS NULL",
            cancellationToken, ("@id", episodeId), ("@n", handlerName), ("@now", Now)).ConfigureAwait(false) == 1;
    }

    /// <summary>Closes the open episodes of a subscription as paid; returns the ids closed by this call.</summary>
    public async Task<IReadOnlyList<string>> SettleAsync(string tenantId, string subscriptionId, string? settledBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var open = await QueryEpisodesAsync("SELECT * FROM alert_episodes WHERE tenant_id = @t AND subscription_id = @s AND settled_at IS NULL",
            cancellationToken, ("@t", tenantId), ("@s", subscriptionId)).ConfigureAwait(false);
        var closed = new List<string>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var episode in open)
        {
            // Compare-and-set: of two instances (event and scanner) exactly one closes it and enqueues the updates.
            var changed = await ExecuteAsync(connection, null,
                "UPDATE alert_episodes SET settled_at = @at, settled_by = @by, revision = revision + 1 WHERE id = @id AND settled_at IS NULL",
                cancellationToken, ("@id", episode.Id), ("@at", ToUnixMs(at)), ("@by", settledBy)).ConfigureAwait(false);
            if (changed == 1) closed.Add(episode.Id);
        }
        return closed;
    }

    /// <summary>Moves the next reminder; with <paramref name="expected"/> only if nobody moved it since (one reminder per due time).</summary>
    public async Task<bool> MoveReminderAsync(string episodeId, DateTimeOffset next, DateTimeOffset? expected, bool countReminder, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "UPDATE alert_episodes SET remind_at = @next, reminders = reminders + @inc WHERE id = @id AND settled_at IS NULL " +
            (expected is null ? "" : "AND remind_at = @expected"),
            cancellationToken, ("@id", episodeId), ("@next", ToUnixMs(next)), ("@inc", countReminder ? 1 : 0), ("@expected", expected is { } e ? ToUnixMs(e) : null)).ConfigureAwait(false) == 1;
    }

    private async Task<IReadOnlyList<AlertEpisode>> QueryEpisodesAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var episodes = new List<AlertEpisode>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            episodes.Add(new AlertEpisode(
                reader.GetRequiredString("id"), reader.GetRequiredString("tenant_id"), reader.GetRequiredString("subscription_id"), reader.GetRequiredString("product"),
                new Money(reader.GetInt64("amount_minor") / 100m, reader.GetRequiredString("currency")), FromUnixMs(reader.GetInt64("past_due_since")),
                Enum.TryParse<DeclineReason>(reader.GetNullableString("decline_reason"), out var reason) ? reason : null,
                FromUnixMs(reader.GetInt64("remind_at")), (int)reader.GetInt64("reminders"), reader.GetNullableString("handler_name"),
                reader.GetNullableInt64("handler_at") is { } handlerAt ? FromUnixMs(handlerAt) : null,
                reader.GetNullableInt64("settled_at") is { } settledAt ? FromUnixMs(settledAt) : null,
                reader.GetNullableString("settled_by"), (int)reader.GetInt64("revision")));
        }
        return episodes;
    }

    // ---- Deciding sends (outbox inserts) --------------------------------------------------------------------

    /// <summary>One alert per episode and channel able to receive it; a repeat inserts nothing. Returns rows added.</summary>
    public async Task<int> EnqueuePostsAsync(string episodeId, string tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "INSERT INTO alert_outbox (id, episode_id, channel_id, kind, seq, state, attempts, next_attempt_at, created_at) " +
            "SELECT @e || '|' || channel_id || '|post|0', @e, channel_id, 'post', 0, 'pending', 0, @now, @now FROM alert_channels " +
            "WHERE tenant_id = @t AND enabled = 1 AND blocked_reason IS NULL ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("@e", episodeId), ("@t", tenantId), ("@now", Now)).ConfigureAwait(false);
    }

    /// <summary>
    /// A follow-up (card update or reminder) for every channel whose alert was posted or is still on its way;
    /// <paramref name="seq"/> (the episode revision or reminder number) makes each decision unique.
    /// </summary>
    public async Task<int> EnqueueFollowUpsAsync(string episodeId, string kind, int seq, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            "INSERT INTO alert_outbox (id, episode_id, channel_id, kind, seq, state, attempts, next_attempt_at, created_at) " +
            "SELECT @e || '|' || channel_id || '|' || @k || '|' || @seq, @e, channel_id, @k, @seqn, 'pending', 0, @now, @now FROM alert_outbox " +
            "WHERE episode_id = @e AND kind = 'post' AND state IN ('pending', 'sending', 'sent', 'unconfirmed') ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("@e", episodeId), ("@k", kind), ("@seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("@seqn", seq), ("@now", Now)).ConfigureAwait(false);
    }

    // ---- Posts and 1:1 chats --------------------------------------------------------------------------------

    public async Task<AlertPost?> GetPostAsync(string episodeId, string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT * FROM alert_posts WHERE episode_id = @e AND channel_id = @c", ("@e", episodeId), ("@c", channelId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AlertPost(episodeId, channelId, reader.GetRequiredString("thread_id"), reader.GetRequiredString("activity_id"))
            : null;
    }

    /// <summary>The channel post an Action.Execute came from (the invoke's conversation is the thread).</summary>
    public async Task<AlertPost?> FindPostByThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT * FROM alert_posts WHERE thread_id = @t", ("@t", threadId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AlertPost(reader.GetRequiredString("episode_id"), reader.GetRequiredString("channel_id"), threadId, reader.GetRequiredString("activity_id"))
            : null;
    }

    public async Task<PersonalChat?> GetPersonalChatAsync(string tenantId, string aadObjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT * FROM alert_personal_chats WHERE tenant_id = @t AND aad_object_id = @a", ("@t", tenantId), ("@a", aadObjectId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new PersonalChat(tenantId, aadObjectId, reader.GetRequiredString("conversation_id"), reader.GetRequiredString("service_url"))
            : null;
    }

    public async Task SavePersonalChatAsync(PersonalChat chat, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "INSERT INTO alert_personal_chats (tenant_id, aad_object_id, conversation_id, service_url) VALUES (@t, @a, @c, @s) " +
            "ON CONFLICT (tenant_id, aad_object_id) DO UPDATE SET conversation_id = excluded.conversation_id, service_url = excluded.service_url",
            cancellationToken, ("@t", chat.TenantId), ("@a", chat.AadObjectId), ("@c", chat.ConversationId), ("@s", chat.ServiceUrl)).ConfigureAwait(false);
    }
}
