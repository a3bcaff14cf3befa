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
    private readonly Lazy<NpgsqlDataSource> _lockDataSource;
    private readonly NpgsqlConnectionStringBuilder _settings;

    /// <param name="connectionString">An Npgsql connection string (<c>ConnectionStrings:Postgres</c>).</param>
    /// <param name="lockConnections">
    /// Pool size for connections that hold a session advisory lock for a whole turn. They live in their own pool so
    /// that turns holding locks can never starve the turns' own queries of connections.
    /// </param>
    public PostgresDatabase(string connectionString, int lockConnections = 100)
    {
        _settings = Parse(connectionString);
        if (string.IsNullOrEmpty(_settings.ApplicationName)) _settings.ApplicationName = "PastDueBot";
        _dataSource = NpgsqlDataSource.Create(_settings);
        _lockDataSource = new Lazy<NpgsqlDataSource>(() =>
        {
            var locks = new NpgsqlConnectionStringBuilder(_settings.ConnectionString)
            {
                ApplicationName = _settings.ApplicationName + " (locks)",
                MaxPoolSize = lockConnections,
                MinPoolSize = 0,
            };
            return NpgsqlDataSource.Create(locks);
        });
    }

    /// <summary>Reads a connection string, or fails naming the setting (the message never echoes the string).</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StorageStartupException($"{StorageServiceCollectionExtensions.PostgresConnectionKey} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The pool for connections that hold session advisory locks (see the constructor).</summary>
    public NpgsqlDataSource LockDataSource => _lockDataSource.Value;

    /// <summary>Where this points, for messages: host, port, database and user, never the password.</summary>
    public string Describe() =>
        $"Host={_settings.Host};Port={_settings.Port};Database={_settings.Database ?? _settings.Username};Username={_settings.Username}";

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

    public async ValueTask DisposeAsync()
    {
        if (_lockDataSource.IsValueCreated) await _lockDataSource.Value.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
