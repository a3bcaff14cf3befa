using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// A command on a <see cref="SqliteLease"/>: it collects text, parameters and transaction as any ADO.NET command,
/// and runs them on the shared connection's cached, already compiled statement for that text
/// (<see cref="SqliteStatementCache"/>).
/// </summary>
internal sealed class SqliteLeaseCommand(SqliteLease lease, SqliteStatementCache statements) : DbCommand
{
    private readonly ParameterList _parameters = new();
    private List<SqliteCommand>? _transients;

    [AllowNull]
    public override string CommandText { get; set; } = string.Empty;

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new ArgumentException("SQLite runs only text commands.", nameof(value));
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => lease;
        set => throw new NotSupportedException("A lease's command stays on its lease.");
    }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    public override int ExecuteNonQuery() => Run(static command => command.ExecuteNonQuery());

    public override object? ExecuteScalar() => Run(static command => command.ExecuteScalar());

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Run(command => command.ExecuteReader(behavior));

    private T Run<T>(Func<SqliteCommand, T> execute)
    {
        lease.ThrowIfEnded();
        var command = statements.Rent(CommandText, out var cached);
        if (!cached) (_transients ??= []).Add(command);
        command.Transaction = (SqliteTransaction?)DbTransaction;
        command.CommandTimeout = CommandTimeout;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in _parameters) command.Parameters.Add(parameter);
        try
        {
            return execute(command);
        }
        catch when (cached)
        {
            statements.Discard(command);
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        // A cached command stays compiled for the next lease; only a one-off (the cached one was busy) goes.
        if (disposing) _transients?.ForEach(command => command.Dispose());
        base.Dispose(disposing);
    }

    private sealed class ParameterList : SqliteParameterCollection;
}
