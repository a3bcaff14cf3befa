using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// SQLite in WAL mode (a crash loses nothing committed), used through one connection that stays open.
/// SQLite throws away a connection's whole page cache whenever another connection has committed, so with a pool
/// of connections nearly every statement re-read its pages from the file: measured, that was a third of the bot's
/// CPU per turn and half of its system time. Callers queue here (asynchronously) for a lease on the one connection
/// (<see cref="SqliteLease"/>), whose page cache and compiled statements (<see cref="SqliteStatementCache"/>) stay
/// warm from caller to caller; a statement then takes microseconds. Another process on the same file waits for
/// SQLite's lock instead of failing (<see cref="SqliteBusyWait"/>).
/// </summary>
public sealed class SqliteDatabase : ISqlDatabase, IDisposable
{
    /// <summary>How long a caller waits for the connection before giving up, as SQLite's own lock wait does.</summary>
    public static readonly TimeSpan ConnectionWait = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private readonly SemaphoreSlim _connectionGate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteStatementCache? _statements;
    private bool _disposed;
    private long _leasesEnded;
    private readonly Action _leaseEnded;

    public SqliteDatabase(string path)
    {
        _leaseEnded = () => Interlocked.Increment(ref _leasesEnded);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false, // the database keeps its own connection open
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

    /// <summary>
    /// Leases on the shared connection ended so far. Counted as each ends, after whatever it wrote: unchanged since a
    /// checkpoint began, nothing of this process has written since.
    /// </summary>
    public long LeasesEnded => Interlocked.Read(ref _leasesEnded);

    /// <summary>
    /// A lease on the connection, once the previous holder has disposed of its own. Dispose of it promptly
    /// (<c>await using</c>), and never open a second one while holding it: that would wait for itself until
    /// <see cref="ConnectionWait"/>.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var requestedAt = Stopwatch.GetTimestamp();
        var waited = !_connectionGate.Wait(0, CancellationToken.None);
        if (waited && !await _connectionGate.WaitAsync(ConnectionWait, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"The SQLite database {Path} stayed busy for {ConnectionWait.TotalSeconds:0} s.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _connection is { } open && Usable(open) ? open : Reconnect();
            return new SqliteLease(connection, _statements!, _connectionGate, SqliteConnectionEvents.Log.Granted(requestedAt, waited), _leaseEnded);
        }
        catch
        {
            _connectionGate.Release();
            throw;
        }
    }

    /// <summary>
    /// Open, and not inside a transaction. A lease rolls back the transaction its holder began and left; one still open
    /// here (that rollback failed, or a holder ran BEGIN as plain SQL) makes the connection be replaced, not handed on.
    /// </summary>
    private static bool Usable(SqliteConnection connection) =>
        connection.State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;

    private SqliteConnection Reconnect()
    {
        CloseConnection();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // WAL with NORMAL sync is durable against process crashes. (Memory-mapped I/O was measured slower here:
            // 6.6 against 3.7 ms of CPU per turn.)
            // Checkpoints normally run in the background (SqliteCheckpointer), off the turns' path: one inline here
            // took tens of milliseconds of writes and fsyncs in whichever turn crossed the threshold. The high
            // threshold stays as a backstop, so the WAL cannot grow without bound where no checkpointer runs.
            command.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={BackstopCheckpointPages};";
            command.ExecuteNonQuery();
            // A writer that finds the file locked waits rather than fails (as busy_timeout would), but polls every
            // millisecond: SQLite's own handler backs off to 100 ms a try, and under load turns were measured
            // sleeping those 100 ms behind another writer's transaction of a few milliseconds.
            SqliteBusyWait.Install(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _statements = new SqliteStatementCache(connection);
        return _connection = connection;
    }

    private void CloseConnection()
    {
        _statements?.Dispose();
        _connection?.Dispose();
        _statements = null;
        _connection = null;
    }

    /// <summary>Closes the connection once its current holder, if any, has let go (up to a few seconds).</summary>
    public void Dispose()
    {
        var held = _connectionGate.Wait(TimeSpan.FromSeconds(5));
        try
        {
            if (_disposed) return;
            _disposed = true;
            CloseConnection();
        }
        finally
        {
            if (held) _connectionGate.Release();
        }
    }

    /// <summary>
    /// How many statements the connection keeps compiled. The bot runs a few dozen distinct ones, and key lists of
    /// varying length add a few more; the bound keeps a caller that builds its SQL text per call from piling them up.
    /// </summary>
    public const int CompiledStatementLimit = 128;

    /// <summary>
    /// WAL pages (200 MB of 4 KB pages) at which a commit checkpoints by itself (SQLite's default is 1,000). Under
    /// steady commits the background checkpoint never catches up completely, and the log restarts only here: one
    /// commit copies what is left and fsyncs while every turn waits. At 10,000 pages that came every 1.6 s at full
    /// load and doubled p99 over a long run (131–136 ms against 66–74 ms at 50,000). With gaps between commits, as
    /// at ordinary loads, the background checkpoint completes and the log restarts long before this.
    /// </summary>
    public const int BackstopCheckpointPages = 50_000;

    /// <summary>
    /// Copies the WAL's committed pages into the database file (a PASSIVE checkpoint, which never waits for or blocks
    /// a writer) on a connection of its own, not the one turns share: a checkpoint leaves the WAL header as it is,
    /// so that connection's page cache stays valid. Returns the WAL's frames and how many of them are now in the file.
    /// </summary>
    public async Task<(long WalFrames, long Checkpointed)> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        SqliteBusyWait.Install(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(1), reader.GetInt64(2));
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
