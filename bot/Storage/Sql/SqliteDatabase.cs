using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// SQLite in WAL mode: readers never block the writer, and a crash loses nothing committed.
/// Writes are serialised by SQLite itself; <c>busy_timeout</c> makes a second writer wait instead of failing.
/// </summary>
public sealed class SqliteDatabase : ISqlDatabase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        // Per connection: WAL with NORMAL sync is durable against process crashes, and busy waits rather than fails.
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task MigrateAsync(string component, IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken = default)
    {
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await SchemaMigrator.RunAsync(connection, Dialect, component, steps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _migrationGate.Release();
        }
    }
}
