using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// SQLite in WAL mode: readers never block the writer, and a crash loses nothing committed.
/// Writes are serialised by SQLite itself; a second writer waits for the lock instead of failing (<see cref="SqliteBusyWait"/>).
/// </summary>
public sealed class SqliteDatabase : ISqlDatabase
{
    private readonly string _connectionString;
    private static readonly object Configured = new();
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

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
        // Pragmas live as long as the native connection, which the pool reuses: set them once per native handle
        // rather than once per open (an open is several per turn).
        if (_configured.TryGetValue(connection.Handle!, out _)) return connection;
        using var command = connection.CreateCommand();
        // WAL with NORMAL sync is durable against process crashes. (Memory-mapped I/O was measured slower here:
        // every commit remaps pages the other connections then fault in again.)
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // A writer that finds the file locked waits rather than fails (as busy_timeout would), but polls every
        // millisecond: SQLite's own handler backs off to 100 ms a try, and under load turns were measured sleeping
        // those 100 ms behind another writer's transaction of a few milliseconds.
        SqliteBusyWait.Install(connection);
        _configured.AddOrUpdate(connection.Handle!, Configured);
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
