using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// SQLite has one writer per file. Inside the bot, callers take turns on the database's one connection; another
/// process on the same file that finds the write lock taken waits for it (the bot's own busy handler, polling) and
/// then writes. Nobody fails and no write is lost.
/// </summary>
[Collection(SqliteFileCollection.Name)]
public sealed class SqliteWriteLockTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_writer_in_another_process_blocked_by_a_transaction_waits_and_then_writes()
    {
        var database = new SqliteDatabase(_file.Path);
        await using (var setup = await database.OpenAsync())
        {
            await SqlCommands.ExecuteAsync(setup, null, "CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)", CancellationToken.None);
            await SqlCommands.ExecuteAsync(setup, null, "INSERT INTO counters (id, value) VALUES (1, 0)", CancellationToken.None);
        }

        await using var holder = await database.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync(); // BEGIN IMMEDIATE: takes the write lock
        await SqlCommands.ExecuteAsync(holder, transaction, "UPDATE counters SET value = value + 1 WHERE id = 1", CancellationToken.None);

        // A second SqliteDatabase on the file: its own connection, as another process (or instance) would have.
        var other = new SqliteDatabase(_file.Path);
        var blocked = Task.Run(async () =>
        {
            await using var writer = await other.OpenAsync();
            return await SqlCommands.ExecuteAsync(writer, null, "UPDATE counters SET value = value + 10 WHERE id = 1", CancellationToken.None);
        });
        // Still waiting while the first transaction is open (it cannot have written yet).
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted);

        await transaction.CommitAsync();
        Assert.Equal(1, await blocked);

        await using var reader = await other.OpenAsync();
        await using var read = SqlCommands.Command(reader, null, "SELECT value FROM counters WHERE id = 1");
        Assert.Equal(11L, Convert.ToInt64(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Callers_in_one_process_take_turns_on_one_connection_whose_cache_survives()
    {
        var database = new SqliteDatabase(_file.Path);
        SQLitePCL.sqlite3 first;
        await using (var setup = await database.OpenAsync())
        {
            first = ((SqliteLease)setup).Connection.Handle!;
            await SqlCommands.ExecuteAsync(setup, null, "CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)", CancellationToken.None);
            await SqlCommands.ExecuteAsync(setup, null, "INSERT INTO counters (id, value) VALUES (1, 0)", CancellationToken.None);
        }

        var holder = await database.OpenAsync();
        // The same native connection comes back, so its page cache is still valid: no other connection has committed.
        Assert.Same(first, ((SqliteLease)holder).Connection.Handle);

        var next = database.OpenAsync();
        await Task.Delay(300);
        Assert.False(next.IsCompleted); // waits for the holder, without blocking a thread

        await holder.DisposeAsync();
        var connection = await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(first, ((SqliteLease)connection).Connection.Handle);
        await connection.DisposeAsync();

        // Ended with nobody waiting, a lease returns at once; ended with a caller waiting, it steps aside so that caller
        // runs now (its continuation is next in this thread's queue) rather than after the rest of this caller's work.
        var alone = (SqliteLease)await database.OpenAsync();
        Assert.True(alone.DisposeAsync().IsCompletedSuccessfully);
        Assert.False(alone.SteppedAside);
        var busy = (SqliteLease)await database.OpenAsync();
        var waiting = database.OpenAsync();
        await busy.DisposeAsync();
        Assert.True(busy.SteppedAside);
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();

        // Sixteen concurrent increments, each its own open: all land.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await using var writer = await database.OpenAsync();
            await SqlCommands.ExecuteAsync(writer, null, "UPDATE counters SET value = value + 1 WHERE id = 1", CancellationToken.None);
        })));
        await using var reader = await database.OpenAsync();
        await using var read = SqlCommands.Command(reader, null, "SELECT value FROM counters WHERE id = 1");
        Assert.Equal(16L, Convert.ToInt64(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
