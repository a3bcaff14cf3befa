using PastDueBot.Storage.Sql;

namespace PastDueBot.Alerts.Storage;

/// <summary>
/// The alerts tables, the same on SQLite and PostgreSQL: instants are Unix milliseconds (BIGINT), amounts are
/// minor units. The outbox id is "episode|channel|kind|seq", so deciding the same send twice inserts nothing.
/// </summary>
internal static class AlertsSchema
{
    private const string V1 = """
        CREATE TABLE alert_channels (
            channel_id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            team_id TEXT NULL,
            service_url TEXT NOT NULL,
            bot_id TEXT NOT NULL,
            locale TEXT NULL,
            enabled INTEGER NOT NULL,
            blocked_reason TEXT NULL,
            blocked_at BIGINT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX ix_alert_channels_tenant ON alert_channels (tenant_id, enabled);
        CREATE TABLE alert_episodes (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            subscription_id TEXT NOT NULL,
            product TEXT NOT NULL,
            amount_minor BIGINT NOT NULL,
            currency TEXT NOT NULL,
            past_due_since BIGINT NOT NULL,
            decline_reason TEXT NULL,
            opened_at BIGINT NOT NULL,
            remind_at BIGINT NOT NULL,
            reminders INTEGER NOT NULL,
            handler_name TEXT NULL,
            handler_at BIGINT NULL,
            settled_at BIGINT NULL,
            settled_by TEXT NULL,
            revision INTEGER NOT NULL
        );
        CREATE INDEX ix_alert_episodes_open ON alert_episodes (tenant_id, settled_at);
        CREATE TABLE alert_outbox (
            id TEXT PRIMARY KEY,
            episode_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            claimed_by TEXT NULL,
            claimed_until BIGINT NULL,
            last_error TEXT NULL,
            created_at BIGINT NOT NULL,
            completed_at BIGINT NULL
        );
        CREATE INDEX ix_alert_outbox_due ON alert_outbox (state, next_attempt_at);
        CREATE INDEX ix_alert_outbox_episode ON alert_outbox (episode_id, channel_id);
        CREATE TABLE alert_posts (
            episode_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            thread_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            posted_at BIGINT NOT NULL,
            PRIMARY KEY (episode_id, channel_id)
        );
        CREATE TABLE alert_personal_chats (
            tenant_id TEXT NOT NULL,
            aad_object_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            service_url TEXT NOT NULL,
            PRIMARY KEY (tenant_id, aad_object_id)
        );
        """;

    public static IReadOnlyList<SchemaStep> Steps { get; } = [new SchemaStep(1, V1, V1)];
}
