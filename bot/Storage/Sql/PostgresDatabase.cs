using System.Data.Common;
using Npgsql;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// PostgreSQL for several bot instances: one data source (connection pool) per process; instances coordinate
/// through row locks, <c>FOR UPDATE SKIP LOCKED</c> and advisory locks rather than through memory.
/// </summary>
public sealed class PostgresDatabase : ISqlDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:Postgres is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public NpgsqlDataSource DataSource => _dataSource;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task MigrateAsync(string component, IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Two instances creating schema_versions at once can still collide on the catalog; the advisory lock
        // taken here, for the whole migration, makes them queue instead.
        await using (var gate = connection.CreateCommand())
        {
            gate.CommandText = "SELECT pg_advisory_lock(727274000)";
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await SchemaMigrator.RunAsync(connection, Dialect, component, steps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await using var release = connection.CreateCommand();
            release.CommandText = "SELECT pg_advisory_unlock(727274000)";
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
