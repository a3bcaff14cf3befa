using System.Data.Common;

namespace PastDueBot.Storage.Sql;

/// <summary>The SQL engine behind every durable table: SQLite on one machine, PostgreSQL to scale out.</summary>
public interface ISqlDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>An open connection (from the pool, or a lease on SQLite's one connection); dispose of it to give it back.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings a component's tables to the newest version, once, even when several instances start together.
    /// Each step runs in its own transaction with the version bump.
    /// </summary>
    Task MigrateAsync(string component, IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken = default);
}

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>One schema version of a component: the SQL for each dialect.</summary>
public sealed record SchemaStep(int Version, string Sqlite, string Postgres)
{
    public string For(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? Sqlite : Postgres;
}
