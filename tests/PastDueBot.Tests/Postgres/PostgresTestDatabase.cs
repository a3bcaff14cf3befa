using Npgsql;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// Class fixture: a fresh database per test class, dropped afterwards. Each test takes its own schema in it
/// (<see cref="NewSchemaAsync"/>), so tests of one class never see each other's rows. Does nothing when the
/// PostgreSQL tests are skipped.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException(PostgresTestServer.SkipReason ?? "The test database was not created.");

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is not null) return;
        _connectionString = await PostgresTestServer.CreateDatabaseAsync("class");
    }

    /// <summary>A connection string whose search_path is a new, empty schema in this class's database.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null) await PostgresTestServer.DropDatabaseAsync(_connectionString);
    }
}
