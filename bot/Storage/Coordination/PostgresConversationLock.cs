using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PastDueBot.Protocol.Builder;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Coordination;

/// <summary>
/// Turn ordering across instances: a session advisory lock keyed by a 64-bit hash of the conversation key, held on
/// a dedicated connection (from <see cref="PostgresDatabase.LockDataSource"/>) for the whole turn. Turns of one
/// conversation first queue in-process, so an instance holds at most one lock connection per busy conversation.
/// If the instance dies, PostgreSQL ends its session and the lock is released with it.
/// </summary>
public sealed class PostgresConversationLock(PostgresDatabase database, TimeSpan timeout) : IConversationLock
{
    private readonly InProcessConversationLock _local = new();

    public TimeSpan Timeout { get; } = timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout));

    public async Task<IAsyncDisposable> AcquireAsync(string conversationKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);

        IAsyncDisposable? local = null;
        NpgsqlConnection? connection = null;
        var key = LockKey(conversationKey);
        try
        {
            local = await _local.AcquireAsync(conversationKey, deadline.Token).ConfigureAwait(false);
            connection = await database.LockDataSource.OpenConnectionAsync(deadline.Token).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
                // Cancelling sends PostgreSQL a cancel request, which ends the wait on the server too.
                await command.ExecuteNonQueryAsync(deadline.Token).ConfigureAwait(false);
            }
            return new Handle(local, connection, key);
        }
        catch (Exception ex)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            if (local is not null) await local.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The turn lock of a conversation was not acquired within {Timeout}.", ex);
            }
            throw;
        }
    }

    /// <summary>First 8 bytes of SHA-256 over a prefixed key: stable across processes and .NET versions.</summary>
    public static long LockKey(string conversationKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("pastduebot/turn/" + conversationKey));
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    private sealed class Handle(IAsyncDisposable local, NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and with it the lock; the pool discards the broken connection.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
