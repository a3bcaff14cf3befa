using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// The database's one connection keeps each statement compiled from lease to lease. Reuse must never change an
/// answer: not with a reader still open, not after a failed statement, a schema change, or a holder that walked away
/// from its transaction.
/// </summary>
[Collection(SqliteFileCollection.Name)]
public sealed class SqliteStatementCacheTests : IDisposable
{
    private readonly TempSqliteFile _file = new();
    private readonly SqliteDatabase _database;

    public SqliteStatementCacheTests() => _database = new SqliteDatabase(_file.Path);

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task A_statement_run_by_fifty_leases_is_compiled_once()
    {
        await CreateTableAsync();
        var compiled = 0;
        for (var i = 0; i < 50; i++)
        {
            await using (var lease = await _database.OpenAsync())
            {
                await SqlCommands.ExecuteAsync(lease, null, "INSERT INTO items (id, name) VALUES (@id, @name)", CancellationToken.None, ("@id", i), ("@name", $"item {i}"));
                Assert.Equal(i + 1L, await CountAsync(lease));
            }
            if (i == 0) compiled = await StatementMemoryAsync();
        }

        // The statements outlive their leases, and fifty leases later they are the same ones, not fifty copies.
        Assert.True(compiled > 0);
        Assert.Equal(compiled, await StatementMemoryAsync());
    }

    [Fact]
    public async Task Distinct_statements_beyond_the_limit_do_not_pile_up()
    {
        await CreateTableAsync();
        var atLimit = 0;
        for (var i = 0; i < SqliteDatabase.CompiledStatementLimit + 40; i++)
        {
            await using (var lease = await _database.OpenAsync())
            {
                await using var command = SqlCommands.Command(lease, null, $"SELECT {i} + count(*) FROM items");
                Assert.Equal((long)i, Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
            }
            if (i == SqliteDatabase.CompiledStatementLimit - 2) atLimit = await StatementMemoryAsync(); // with CREATE TABLE: full
        }

        Assert.True(await StatementMemoryAsync() < atLimit);
    }

    [Fact]
    public async Task The_same_statement_runs_again_while_a_reader_of_it_is_still_open()
    {
        await CreateTableAsync();
        await using var lease = await _database.OpenAsync();
        foreach (var id in new[] { 1, 2, 3 })
        {
            await SqlCommands.ExecuteAsync(lease, null, "INSERT INTO items (id, name) VALUES (@id, @name)", CancellationToken.None, ("@id", id), ("@name", $"item {id}"));
        }

        const string sql = "SELECT name FROM items WHERE id >= @from ORDER BY id";
        await using var outer = SqlCommands.Command(lease, null, sql, ("@from", 1));
        await using var outerReader = await outer.ExecuteReaderAsync();
        Assert.True(await outerReader.ReadAsync());

        await using (var inner = SqlCommands.Command(lease, null, sql, ("@from", 3)))
        await using (var innerReader = await inner.ExecuteReaderAsync())
        {
            Assert.True(await innerReader.ReadAsync());
            Assert.Equal("item 3", innerReader.GetString(0));
            Assert.False(await innerReader.ReadAsync());
        }

        Assert.Equal("item 1", outerReader.GetString(0));
        Assert.True(await outerReader.ReadAsync());
        Assert.Equal("item 2", outerReader.GetString(0));
    }

    [Fact]
    public async Task A_statement_that_failed_runs_again_with_new_values()
    {
        await CreateTableAsync();
        const string insert = "INSERT INTO items (id, name) VALUES (@id, @name)";
        await using (var lease = await _database.OpenAsync())
        {
            await SqlCommands.ExecuteAsync(lease, null, insert, CancellationToken.None, ("@id", 1), ("@name", "one"));
            var duplicate = await Assert.ThrowsAsync<SqliteException>(() =>
                SqlCommands.ExecuteAsync(lease, null, insert, CancellationToken.None, ("@id", 1), ("@name", "again")));
            Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        }

        await using (var lease = await _database.OpenAsync())
        {
            Assert.Equal(1, await SqlCommands.ExecuteAsync(lease, null, insert, CancellationToken.None, ("@id", 2), ("@name", "two")));
            Assert.Equal(2L, await CountAsync(lease));
        }
    }

    [Fact]
    public async Task A_compiled_statement_sees_a_column_added_after_it_was_compiled()
    {
        await CreateTableAsync();
        const string select = "SELECT * FROM items";
        await using (var lease = await _database.OpenAsync())
        {
            await using var command = SqlCommands.Command(lease, null, select);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.Equal(2, reader.FieldCount);
        }

        await using (var lease = await _database.OpenAsync())
        {
            await SqlCommands.ExecuteAsync(lease, null, "ALTER TABLE items ADD COLUMN note TEXT", CancellationToken.None);
            await using var command = SqlCommands.Command(lease, null, select);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.Equal(3, reader.FieldCount);
        }
    }

    [Fact]
    public async Task A_transaction_its_holder_left_open_is_rolled_back_before_the_next_lease()
    {
        await CreateTableAsync();
        var lease = await _database.OpenAsync();
        var transaction = await lease.BeginTransactionAsync();
        await SqlCommands.ExecuteAsync(lease, transaction, "INSERT INTO items (id, name) VALUES (1, 'uncommitted')", CancellationToken.None);
        await lease.DisposeAsync(); // neither committed nor disposed of the transaction

        await using var next = await _database.OpenAsync();
        await using var own = await next.BeginTransactionAsync(); // would fail inside a transaction left open
        Assert.Equal(0L, await CountAsync(next, own));
    }

    [Fact]
    public async Task A_transaction_begun_in_raw_sql_and_left_open_is_not_handed_on()
    {
        await CreateTableAsync();
        await using (var lease = await _database.OpenAsync())
        {
            await SqlCommands.ExecuteAsync(lease, null, "BEGIN", CancellationToken.None);
            await SqlCommands.ExecuteAsync(lease, null, "INSERT INTO items (id, name) VALUES (1, 'uncommitted')", CancellationToken.None);
        }

        await using var next = await _database.OpenAsync();
        await using var own = await next.BeginTransactionAsync();
        Assert.Equal(0L, await CountAsync(next, own));
    }

    [Fact]
    public async Task A_lease_and_its_commands_refuse_work_once_it_has_ended_and_the_database_once_disposed()
    {
        await CreateTableAsync();
        var lease = await _database.OpenAsync();
        await using var command = SqlCommands.Command(lease, null, "SELECT count(*) FROM items");
        await lease.DisposeAsync();
        await lease.DisposeAsync(); // a second dispose does not let a second caller in
        Assert.Equal(System.Data.ConnectionState.Closed, lease.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => command.ExecuteScalarAsync());

        await using (var held = await _database.OpenAsync())
        {
            var waiting = _database.OpenAsync();
            await Task.Delay(200);
            Assert.False(waiting.IsCompleted);
            await held.DisposeAsync();
            await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        }

        _database.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.OpenAsync());
    }

    private async Task CreateTableAsync()
    {
        await using var lease = await _database.OpenAsync();
        await SqlCommands.ExecuteAsync(lease, null, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", CancellationToken.None);
    }

    private static async Task<long> CountAsync(DbConnection lease, DbTransaction? transaction = null)
    {
        await using var command = SqlCommands.Command(lease, transaction, "SELECT count(*) FROM items");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes of memory SQLite holds for compiled statements on the shared connection (SQLITE_DBSTATUS_STMT_USED).</summary>
    private async Task<int> StatementMemoryAsync()
    {
        const int statementsUsed = 3;
        await using var lease = (SqliteLease)await _database.OpenAsync();
        Assert.Equal(0, SQLitePCL.raw.sqlite3_db_status(lease.Connection.Handle!, statementsUsed, out var current, out _, 0));
        return current;
    }
}
