using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// Checkpoints run in the background on a connection of their own: turns never pay for one, and the connection
/// turns share keeps its page cache.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Commits_leave_their_pages_in_the_wal_until_the_checkpointer_copies_them_into_the_file()
    {
        var database = new SqliteDatabase(_file.Path);
        await WriteRowsAsync(database, 200);
        var before = new FileInfo(_file.Path).Length;
        Assert.True(new FileInfo(_file.Path + "-wal").Length > 200 * 1000, "the rows are in the WAL");

        // Only a backstop far above these few hundred pages would make a commit checkpoint by itself.
        await using (var connection = await database.OpenAsync())
        await using (var pragma = SqlCommands.Command(connection, null, "PRAGMA wal_autocheckpoint"))
        {
            Assert.Equal((long)SqliteDatabase.BackstopCheckpointPages, Convert.ToInt64(await pragma.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var time = new FakeTimeProvider();
        using var checkpointer = new SqliteCheckpointer(database, time, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (new FileInfo(_file.Path).Length <= before && DateTime.UtcNow < deadline)
            {
                time.Advance(SqliteCheckpointer.Interval);
                await Task.Delay(20);
            }
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.True(new FileInfo(_file.Path).Length > before + 200 * 1000, "the checkpoint copied the pages into the database file");
        var (walFrames, checkpointed) = await database.CheckpointAsync();
        Assert.Equal(walFrames, checkpointed);

        // The shared connection still reads everything, from the same native handle.
        await using var reader = await database.OpenAsync();
        await using var count = SqlCommands.Command(reader, null, "SELECT count(*) FROM notes");
        Assert.Equal(200L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task After_idle_ticks_the_checkpointer_copies_the_next_writes_too()
    {
        var database = new SqliteDatabase(_file.Path);
        await WriteRowsAsync(database, 50);
        var time = new FakeTimeProvider();
        using var checkpointer = new SqliteCheckpointer(database, time, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await TickUntilAsync(time, () => new FileInfo(_file.Path).Length > 50 * 3000);
            for (var idle = 0; idle < 5; idle++) // nothing written: these ticks skip the checkpoint
            {
                time.Advance(SqliteCheckpointer.Interval);
                await Task.Delay(10);
            }
            var before = new FileInfo(_file.Path).Length;

            await using (var connection = await database.OpenAsync())
            {
                for (var id = 100; id < 150; id++)
                {
                    await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO notes (id, body) VALUES (@id, @body)", CancellationToken.None,
                        ("@id", id), ("@body", new string('z', 3000)));
                }
            }

            await TickUntilAsync(time, () => new FileInfo(_file.Path).Length > before + 50 * 3000);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task TickUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the checkpointer never copied the WAL into the file");
            time.Advance(SqliteCheckpointer.Interval);
            await Task.Delay(20);
        }
    }

    private static async Task WriteRowsAsync(SqliteDatabase database, int rows)
    {
        await using (var setup = await database.OpenAsync())
        {
            await SqlCommands.ExecuteAsync(setup, null, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", CancellationToken.None);
        }

        for (var i = 0; i < rows; i++)
        {
            await using var connection = await database.OpenAsync();
            await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO notes (id, body) VALUES (@id, @body)", CancellationToken.None,
                ("@id", i), ("@body", new string('x', 3000)));
        }
    }
}
