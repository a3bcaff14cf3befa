using System.Data.Common;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Documents;

/// <summary>
/// <see cref="IStorage"/> on a SQL database (SQLite or PostgreSQL, same SQL). Each condition is one statement
/// whose affected-row count decides it (<c>INSERT … ON CONFLICT DO NOTHING</c> for create-only,
/// <c>UPDATE … WHERE etag = @etag</c> for If-Match), so the database, not a prior read, arbitrates races;
/// a batch runs in one transaction and is rolled back whole on the first failed condition.
/// </summary>
public sealed class SqlStorage : IStorage
{
    // Well under SQLite's and PostgreSQL's parameter limits.
    private const int KeysPerStatement = 500;

    private readonly ISqlDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public SqlStorage(ISqlDatabase database, TimeProvider? time = null)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates or upgrades the <c>documents</c> table, once per instance; every operation calls it first.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady) return;
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            await _database.MigrateAsync(DocumentsSchema.Component, DocumentsSchema.Steps, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public async Task<IReadOnlyDictionary<string, StoreItem>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, StoreItem>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(KeysPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT key, json, etag FROM documents WHERE key IN ({KeyList(command, chunk)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[reader.GetString(0)] = new StoreItem(reader.GetString(1), reader.GetString(2));
            }
        }
        return found;
    }

    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(IReadOnlyDictionary<string, StoreItem> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        if (changes.Count == 0) return written;
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        await WithWriteTransactionAsync(async (connection, transaction) =>
        {
            var now = _time.GetUtcNow();
            // A fixed key order, so two batches over the same keys cannot deadlock on PostgreSQL's row locks.
            foreach (var (key, change) in changes.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                ArgumentNullException.ThrowIfNull(change);
                var etag = Guid.NewGuid().ToString("N");
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = change.ETag switch
                {
                    null => "INSERT INTO documents (key, json, etag, updated_at) VALUES (@key, @json, @etag, @now) " +
                            "ON CONFLICT (key) DO NOTHING",
                    StoreItem.AnyETag => "INSERT INTO documents (key, json, etag, updated_at) VALUES (@key, @json, @etag, @now) " +
                                         "ON CONFLICT (key) DO UPDATE SET json = excluded.json, etag = excluded.etag, updated_at = excluded.updated_at",
                    _ => "UPDATE documents SET json = @json, etag = @etag, updated_at = @now WHERE key = @key AND etag = @expected",
                };
                Add(command, "@key", key);
                Add(command, "@json", change.Json);
                Add(command, "@etag", etag);
                Add(command, "@now", now);
                if (change.ETag is not null and not StoreItem.AnyETag) Add(command, "@expected", change.ETag);

                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                {
                    throw new StorageConflictException(key);
                }
                written[key] = etag;
            }
        }, cancellationToken).ConfigureAwait(false);
        return written;
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return;
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);

        await WithWriteTransactionAsync(async (connection, transaction) =>
        {
            foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Chunk(KeysPerStatement))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"DELETE FROM documents WHERE key IN ({KeyList(command, chunk)})";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> documents whose key starts with <paramref name="keyPrefix"/> and that were
    /// last written before <paramref name="cutoff"/>; returns how many. For expiring records such as the redelivery
    /// guard's, which <see cref="IStorage"/> cannot enumerate. A key range rather than LIKE, so both databases use
    /// the primary key.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(string keyPrefix, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        await WithWriteTransactionAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM documents WHERE key IN (SELECT key FROM documents " +
                                  "WHERE key >= @from AND key < @to AND updated_at < @cutoff ORDER BY key LIMIT @limit)";
            Add(command, "@from", keyPrefix);
            Add(command, "@to", keyPrefix[..^1] + (char)(keyPrefix[^1] + 1));
            Add(command, "@cutoff", cutoff.ToUniversalTime());
            Add(command, "@limit", limit);
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that commits only if it returns. On SQLite the
    /// transaction starts as <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), taking the write lock
    /// up front, so it never fails half-way with SQLITE_BUSY on a read-to-write upgrade.
    /// </summary>
    private async Task WithWriteTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string KeyList(DbCommand command, string[] keys)
    {
        var names = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            names[i] = "@k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Add(command, names[i], keys[i]);
        }
        return string.Join(", ", names);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
