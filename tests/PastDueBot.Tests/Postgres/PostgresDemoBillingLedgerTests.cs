using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Billing;

namespace PastDueBot.Tests.Postgres;

/// <summary>Every demo-ledger test on PostgreSQL, each in a fresh schema of this class's database.</summary>
[RequiresPostgres]
public sealed class PostgresDemoBillingLedgerTests(PostgresTestDatabase database) : DemoBillingLedgerTests, IClassFixture<PostgresTestDatabase>
{
    protected override async Task<LedgerFixture> CreateFixtureAsync()
    {
        var connectionString = await database.NewSchemaAsync();
        return new LedgerFixture(openDatabase: () => new PostgresDatabase(connectionString));
    }
}
