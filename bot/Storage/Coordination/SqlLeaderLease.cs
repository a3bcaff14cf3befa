using System.Data.Common;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Coordination;

/// <summary>
/// <see cref="ILeaderLease"/> on SQLite or PostgreSQL with one conditional upsert: the row is taken over only when
/// its holder is the caller or it has expired. PostgreSQL re-checks that condition on the newest row version after
/// waiting for a concurrent claim, and SQLite runs one writer at a time, so two contenders never both win.
/// </summary>
public sealed class SqlLeaderLease(ISqlDatabase database, TimeProvider time) : ILeaderLease
{
    private const string Claim = """
        INSERT INTO leases (name, holder, expires_at, generation) VALUES (@name, @holder, @expires, 1)
        ON CONFLICT (name) DO UPDATE SET
            holder = excluded.holder,
            expires_at = excluded.expires_at,
            generation = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > @now
                              THEN leases.generation ELSE leases.generation + 1 END
        WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
        RETURNING generation
        """;

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public async Task<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var expires = now + ttl;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, Claim,
            ("@name", name), ("@holder", holder), ("@expires", expires.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds()));
        var generation = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return generation is null or DBNull
            ? null
            : new LeaseGrant(name, holder, DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()), Convert.ToInt64(generation, System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // Expire rather than delete, so the generation keeps counting across holders.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "UPDATE leases SET expires_at = 0 WHERE name = @name AND holder = @holder",
            ("@name", name), ("@holder", holder));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<LeaseGrant?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT holder, expires_at, generation FROM leases WHERE name = @name AND expires_at > @now",
            ("@name", name), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new LeaseGrant(name, reader.GetString(0),
            DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)),
            Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady) return;
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            await database.MigrateAsync(LeasesSchema.Component, LeasesSchema.Steps, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
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
