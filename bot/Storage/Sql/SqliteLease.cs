using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// One caller's turn on the database's shared connection (<see cref="SqliteDatabase.OpenAsync"/>). Disposing of it
/// lets the next caller in, after rolling back a transaction it left uncommitted. Its commands run on the shared
/// connection's compiled statements. Dispose of its readers and commands before the lease itself, and never open a
/// second lease while holding one: that would wait for itself.
/// </summary>
public sealed class SqliteLease : DbConnection
{
    private readonly SemaphoreSlim _gate;
    private readonly SqliteStatementCache _statements;
    private readonly long _grantedAt;
    private readonly Action _onEnded;
    private SqliteTransaction? _transaction;
    private int _ended;

    internal SqliteLease(SqliteConnection connection, SqliteStatementCache statements, SemaphoreSlim gate, long grantedAt, Action ended)
    {
        Connection = connection;
        _statements = statements;
        _gate = gate;
        _grantedAt = grantedAt;
        _onEnded = ended;
    }

    /// <summary>The shared connection, for SQLite-specific calls while the lease is held. Never dispose of it.</summary>
    public SqliteConnection Connection { get; }

    [AllowNull]
    public override string ConnectionString
    {
        get => Connection.ConnectionString;
        set => throw new NotSupportedException("A lease is on the database's connection.");
    }

    public override string Database => Connection.Database;

    public override string DataSource => Connection.DataSource;

    public override string ServerVersion => Connection.ServerVersion;

    public override ConnectionState State => Volatile.Read(ref _ended) == 0 ? ConnectionState.Open : ConnectionState.Closed;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("SQLite has one database per file.");

    /// <summary>A lease is open from the start.</summary>
    public override void Open() => ThrowIfEnded();

    public override void Close() => End();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        ThrowIfEnded();
        // Microsoft.Data.Sqlite starts it as BEGIN IMMEDIATE: the write lock is taken up front.
        return _transaction = Connection.BeginTransaction(isolationLevel);
    }

    protected override DbCommand CreateDbCommand()
    {
        ThrowIfEnded();
        return new SqliteLeaseCommand(this, _statements);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) End();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Ends the lease; when a waiter was handed the connection, the rest of this caller's work steps aside so the
    /// waiter runs now. The waiter's continuation sits in this thread's local queue, which the thread pool serves
    /// last-in first-out, so it runs next on this very thread instead of after whatever this caller does until its
    /// next real wait: the connection no longer idles through that gap while counted as taken.
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        Dispose();
        // Taken again already: a waiter was handed it (or a newcomer took it free, which a step aside does not hurt).
        SteppedAside = _gate.CurrentCount == 0;
        return SteppedAside ? StepAside() : default;
    }

    /// <summary>Whether <see cref="DisposeAsync"/> found the connection handed on and stepped aside for its new holder.</summary>
    public bool SteppedAside { get; private set; }

    private static async ValueTask StepAside() => await Task.Yield();

    internal void ThrowIfEnded() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _ended) != 0, this);

    private void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        try
        {
            _transaction?.Dispose(); // rolls back unless committed; the next holder must not inherit it
        }
        finally
        {
            SqliteConnectionEvents.Log.Released(_grantedAt);
            _onEnded();
            _gate.Release();
        }
    }
}
