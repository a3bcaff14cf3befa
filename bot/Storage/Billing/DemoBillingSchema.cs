using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Billing;

/// <summary>
/// The ledger's tables. The same ANSI SQL serves SQLite and PostgreSQL: TEXT ids, BIGINT instants (Unix ms) and
/// amounts (minor units), and ON CONFLICT for the claims that make seeding and paying happen once.
/// </summary>
internal static class DemoBillingSchema
{
    public const string Component = "billing";

    private const string V1 = """
        CREATE TABLE billing_accounts (
            tenant_id TEXT NOT NULL,
            admin_id TEXT NOT NULL,
            seeded_at BIGINT NOT NULL,
            PRIMARY KEY (tenant_id, admin_id)
        );
        CREATE TABLE payment_methods (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            admin_id TEXT NOT NULL,
            brand TEXT NOT NULL,
            last_four TEXT NOT NULL,
            exp_month INTEGER NOT NULL,
            exp_year INTEGER NOT NULL,
            holder TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            owner_name TEXT NULL,
            token TEXT NOT NULL UNIQUE,
            test_decline TEXT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX ix_payment_methods_account ON payment_methods (tenant_id, admin_id);
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            admin_id TEXT NOT NULL,
            product_name TEXT NOT NULL,
            balance_minor BIGINT NOT NULL,
            currency TEXT NOT NULL,
            past_due_since BIGINT NULL,
            last_decline_reason TEXT NULL,
            payment_method_id TEXT NOT NULL REFERENCES payment_methods (id),
            next_lifecycle_at BIGINT NULL,
            version BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_subscriptions_account ON subscriptions (tenant_id, admin_id);
        CREATE INDEX ix_subscriptions_tenant_due ON subscriptions (tenant_id, past_due_since);
        CREATE TABLE payments (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            admin_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request TEXT NOT NULL,
            subscription_id TEXT NOT NULL,
            outcome TEXT NULL,
            amount_minor BIGINT NULL,
            currency TEXT NULL,
            decline_reason TEXT NULL,
            result_json TEXT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (tenant_id, admin_id, idempotency_key)
        );
        """;

    // An admin's past-due list filtered on (tenant, admin) but was planned on ix_subscriptions_tenant_due, which
    // orders by due date: SQLite walked every past-due subscription of the tenant and looked each row up to check
    // its admin (20,000 rows once 10,000 admins of one tenant had been seeded). With past_due_since in the account
    // index, the list is a range of the admin's own rows.
    private const string V2 = """
        DROP INDEX ix_subscriptions_account;
        CREATE INDEX ix_subscriptions_account ON subscriptions (tenant_id, admin_id, past_due_since);
        """;

    public static IReadOnlyList<SchemaStep> Steps { get; } = [new SchemaStep(1, V1, V1), new SchemaStep(2, V2, V2)];
}
