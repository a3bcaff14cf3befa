using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests.Postgres;

/// <summary>The redelivery records' pruning on PostgreSQL, in a schema of its own.</summary>
[RequiresPostgres]
public sealed class PostgresActivityRecordPrunerTests(PostgresTestDatabase database) : ActivityRecordPrunerTests, IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private PostgresDatabase? _opened;

    protected override async Task<ISqlDatabase> OpenDatabaseAsync() => _opened = new PostgresDatabase(await database.NewSchemaAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_opened is not null) await _opened.DisposeAsync();
    }
}
