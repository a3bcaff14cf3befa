using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>Rows read by the position of each column in the SELECT's own list, checked against SQLite's answer.</summary>
[Collection(SqliteFileCollection.Name)]
public sealed class SqlColumnsTests : IDisposable
{
    private const string Columns = "id, name, balance_minor, closed_at";

    private readonly TempSqliteFile _file = new();
    private readonly SqliteDatabase _database;

    public SqlColumnsTests() => _database = new SqliteDatabase(_file.Path);

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task Each_column_is_at_the_ordinal_the_database_gives_it()
    {
        var columns = new SqlColumns(Columns);
        await using var lease = await _database.OpenAsync();
        await SqlCommands.ExecuteAsync(lease, null, "CREATE TABLE items (closed_at INTEGER, balance_minor INTEGER NOT NULL, name TEXT NOT NULL, id TEXT PRIMARY KEY)", CancellationToken.None);
        await SqlCommands.ExecuteAsync(lease, null, "INSERT INTO items (id, name, balance_minor, closed_at) VALUES ('a', 'Business Premium', 4200000000, NULL)", CancellationToken.None);

        await using var command = SqlCommands.Command(lease, null, $"SELECT {Columns} FROM items");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        foreach (var name in new[] { "id", "name", "balance_minor", "closed_at" })
        {
            Assert.Equal(reader.GetOrdinal(name), columns[name]);
        }
        Assert.Equal("a", reader.GetString(columns["id"]));
        Assert.Equal("Business Premium", reader.GetNullableString(columns["name"]));
        Assert.Equal(4_200_000_000L, reader.GetInteger(columns["balance_minor"]));
        Assert.Null(reader.GetNullableInteger(columns["closed_at"]));
        Assert.Null(reader.GetNullableString(columns["closed_at"]));
    }

    [Fact]
    public void A_name_not_in_the_list_throws_rather_than_reading_another_column()
    {
        var columns = new SqlColumns(Columns);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => columns["balance"]);
        Assert.Contains("balance", error.Message);
    }

    [Theory]
    [InlineData("id, name, id")]
    [InlineData("id, , name")]
    [InlineData(" ")]
    public void A_list_that_cannot_name_each_position_once_is_refused(string list) =>
        Assert.ThrowsAny<ArgumentException>(() => new SqlColumns(list));
}
