using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// SQLite has one writer per file. A connection that finds the write lock taken waits for it (the bot's own busy
/// handler, polling) and then writes; it does not fail and does not lose the write.
/// </summary>
public sealed class SqliteWriteLockTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_writer_blocked_by_another_connections_transaction_waits_and_then_writes()
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

        var blocked = Task.Run(async () =>
        {
            await using var writer = await database.OpenAsync();
            return await SqlCommands.ExecuteAsync(writer, null, "UPDATE counters SET value = value + 10 WHERE id = 1", CancellationToken.None);
        });
        // Still waiting while the first transaction is open (it cannot have written yet).
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted);

        await transaction.CommitAsync();
        Assert.Equal(1, await blocked);

        await using var reader = await database.OpenAsync();
        await using var read = SqlCommands.Command(reader, null, "SELECT value FROM counters WHERE id = 1");
        Assert.Equal(11L, Convert.ToInt64(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
