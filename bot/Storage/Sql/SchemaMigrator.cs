using System.Data.Common;

namespace PastDueBot.Storage.Sql;

/// <summary>Applies the schema steps a component has not had yet, recording each in <c>schema_versions</c>.</summary>
public static class SchemaMigrator
{
    public static async Task RunAsync(DbConnection connection, SqlDialect dialect, string component, IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);

        foreach (var step in steps.OrderBy(s => s.Version))
        {
            // SQLite: BEGIN IMMEDIATE takes the write lock up front, so two processes cannot both apply a step.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (dialect == SqlDialect.Postgres)
            {
                // One migrator at a time across instances; released with the transaction.
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(727274001)", cancellationToken).ConfigureAwait(false);
            }

            await using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT version FROM schema_versions WHERE component = @c";
                AddParameter(check, "@c", component);
                var current = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (current is not null and not DBNull && Convert.ToInt32(current, System.Globalization.CultureInfo.InvariantCulture) >= step.Version)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            await ExecuteAsync(connection, transaction, step.For(dialect), cancellationToken).ConfigureAwait(false);
            await using (var bump = connection.CreateCommand())
            {
                bump.Transaction = transaction;
                bump.CommandText = "INSERT INTO schema_versions (component, version) VALUES (@c, @v) " +
                                   "ON CONFLICT (component) DO UPDATE SET version = excluded.version";
                AddParameter(bump, "@c", component);
                AddParameter(bump, "@v", step.Version);
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
