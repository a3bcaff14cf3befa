using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// The SQLite documents table keeps a dialog stack of a few KB inside its row, so saving it writes one page; and a
/// database made by an older bot is upgraded without losing a document or an ETag. Runs alone: it measures how much
/// the WAL grows during one save.
/// </summary>
[Collection(SqliteFileCollection.Name)]
public sealed class DocumentsTableTests : IDisposable
{
    private const int FrameBytes = 4096 + 24; // page + WAL frame header, at the default page size

    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Saving_a_dialog_stack_of_a_few_KB_writes_one_page()
    {
        var storage = new SqlStorage(new SqliteDatabase(_file.Path));
        var etags = await storage.WriteAsync(Enumerable.Range(0, 20).ToDictionary(i => $"msteams/conversations/a:{i:D2}", i => new StoreItem(Document(2500, 'a'), null)));
        var walBefore = new FileInfo(_file.Path + "-wal").Length;

        await storage.WriteAsync(new Dictionary<string, StoreItem> { ["msteams/conversations/a:07"] = new(Document(2400, 'b'), etags["msteams/conversations/a:07"]) });

        var frames = (new FileInfo(_file.Path + "-wal").Length - walBefore) / FrameBytes;
        Assert.Equal(1, frames); // as a WITHOUT ROWID table: 4 (row, a new overflow page, the freelist, the header)
        Assert.Equal(Document(2400, 'b'), (await storage.ReadAsync(["msteams/conversations/a:07"]))["msteams/conversations/a:07"].Json);
    }

    [Fact]
    public async Task A_version_1_table_is_rebuilt_with_its_documents_and_etags()
    {
        var database = new SqliteDatabase(_file.Path);
        await database.MigrateAsync(DocumentsSchema.Component, [DocumentsSchema.Steps[0]]);
        await using (var connection = await database.OpenAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO documents (key, json, etag, updated_at) VALUES (@k, @j, @e, @u)", CancellationToken.None,
                    ("@k", $"doc-{i}"), ("@j", Document(100 + i * 1500, 'x')), ("@e", $"etag-{i}"), ("@u", DateTimeOffset.UnixEpoch));
            }
        }

        var storage = new SqlStorage(database);
        var read = await storage.ReadAsync(["doc-0", "doc-1", "doc-2"]);

        for (var i = 0; i < 3; i++) Assert.Equal(new StoreItem(Document(100 + i * 1500, 'x'), $"etag-{i}"), read[$"doc-{i}"]);
        await using (var check = await database.OpenAsync())
        await using (var sql = SqlCommands.Command(check, null, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'"))
        {
            Assert.DoesNotContain("WITHOUT ROWID", (string)(await sql.ExecuteScalarAsync())!, StringComparison.OrdinalIgnoreCase);
        }
        // Conditional writes still hold on the migrated rows.
        await Assert.ThrowsAsync<StorageConflictException>(() => storage.WriteAsync(new Dictionary<string, StoreItem> { ["doc-1"] = new("{}", "stale") }));
        await storage.WriteAsync(new Dictionary<string, StoreItem> { ["doc-1"] = new("{}", "etag-1") });
    }

    private static string Document(int length, char fill) => "{\"v\":\"" + new string(fill, length) + "\"}";
}
