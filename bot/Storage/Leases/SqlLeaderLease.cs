using System.Data.Common;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Leases;

/// <summary>
/// <see cref="ILeaderLease"/> on one row per lease. Taking it is a single upsert that only overwrites the row when
/// the caller already holds it or it has expired, so two instances racing cannot both win (SQLite serialises
/// writers; PostgreSQL's ON CONFLICT locks the row). Same SQL on both engines.
/// </summary>
public sealed class SqlLeaderLease(ISqlDatabase database, TimeProvider time) : ILeaderLease
{
    private const string Schema = """
        CREATE TABLE leader_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        """;

    private readonly Lazy<Task> _migration = new(() => database.MigrateAsync("leases", [new SchemaStep(1, Schema, Schema)]));

    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await _migration.Value.ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var upsert = Command(connection,
            "INSERT INTO leader_leases (name, holder, expires_at) VALUES (@name, @holder, @expires) " +
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at " +
            "WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at < @now",
            ("@name", name), ("@holder", holder), ("@expires", now + (long)duration.TotalMilliseconds), ("@now", now)))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var read = Command(connection, "SELECT holder FROM leader_leases WHERE name = @name", ("@name", name));
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == holder;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        await _migration.Value.ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var release = Command(connection, "DELETE FROM leader_leases WHERE name = @name AND holder = @holder", ("@name", name), ("@holder", holder));
        await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (parameterName, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterName;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
