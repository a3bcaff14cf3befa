using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Postgres;

namespace PastDueBot.Tests.State;

/// <summary>The ETag contract of <see cref="IStorage"/>; every store runs the same facts (PostgreSQL: Postgres/PostgresStorageContractTests).</summary>
public abstract class StorageContractTests
{
    protected abstract IStorage Storage { get; }

    private static Dictionary<string, StoreItem> One(string key, string json, string? etag) => new() { [key] = new StoreItem(json, etag) };

    [DatabaseFact]
    public async Task Reading_missing_keys_returns_nothing_for_them()
    {
        await Storage.WriteAsync(One("a", """{"n":1}""", null));

        var read = await Storage.ReadAsync(["a", "missing"]);

        Assert.Equal(["a"], read.Keys);
        Assert.Equal("""{"n":1}""", read["a"].Json);
        Assert.False(string.IsNullOrEmpty(read["a"].ETag));
    }

    [DatabaseFact]
    public async Task A_create_only_write_fails_when_the_key_exists_and_keeps_the_first()
    {
        var first = await Storage.WriteAsync(One("k", """{"v":"first"}""", null));

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("k", """{"v":"second"}""", null)));

        Assert.Equal("k", conflict.Key);
        var stored = (await Storage.ReadAsync(["k"]))["k"];
        Assert.Equal("""{"v":"first"}""", stored.Json);
        Assert.Equal(first["k"], stored.ETag);
    }

    [DatabaseFact]
    public async Task An_if_match_write_succeeds_on_the_current_etag_and_fails_on_a_stale_one()
    {
        var created = (await Storage.WriteAsync(One("k", "1", null)))["k"];
        var replaced = (await Storage.WriteAsync(One("k", "2", created)))["k"];

        Assert.NotEqual(created, replaced);
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("k", "3", created)));
        var stored = (await Storage.ReadAsync(["k"]))["k"];
        Assert.Equal(new StoreItem("2", replaced), stored);
    }

    [DatabaseFact]
    public async Task An_if_match_write_on_a_missing_key_conflicts()
    {
        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(One("gone", "1", "some-etag")));

        Assert.Empty(await Storage.ReadAsync(["gone"]));
    }

    [DatabaseFact]
    public async Task The_any_etag_upserts_whatever_is_stored()
    {
        var created = (await Storage.WriteAsync(One("k", "1", StoreItem.AnyETag)))["k"];
        var overwritten = (await Storage.WriteAsync(One("k", "2", StoreItem.AnyETag)))["k"];

        Assert.NotEqual(created, overwritten);
        Assert.Equal(new StoreItem("2", overwritten), (await Storage.ReadAsync(["k"]))["k"]);
    }

    [DatabaseFact]
    public async Task A_batch_with_one_failed_condition_writes_nothing()
    {
        var existing = (await Storage.WriteAsync(One("existing", "old", null)))["existing"];
        var batch = new Dictionary<string, StoreItem>
        {
            ["new-1"] = new("n1", null),
            ["existing"] = new("changed", existing),
            ["clash"] = new("c", "stale-etag"),
            ["new-2"] = new("n2", StoreItem.AnyETag),
        };

        await Assert.ThrowsAsync<StorageConflictException>(() => Storage.WriteAsync(batch));

        var read = await Storage.ReadAsync(["new-1", "existing", "clash", "new-2"]);
        Assert.Equal(["existing"], read.Keys);
        Assert.Equal(new StoreItem("old", existing), read["existing"]);
    }

    [DatabaseFact]
    public async Task A_batch_that_holds_writes_every_key_with_a_new_etag_each()
    {
        var etags = await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["x"] = new("1", null), ["y"] = new("2", null) });

        Assert.Equal(2, etags.Values.Distinct().Count());
        var read = await Storage.ReadAsync(["x", "y"]);
        Assert.Equal(etags["x"], read["x"].ETag);
        Assert.Equal(etags["y"], read["y"].ETag);
    }

    [DatabaseFact]
    public async Task Delete_removes_the_keys_and_ignores_missing_ones_and_the_key_can_be_created_again()
    {
        await Storage.WriteAsync(new Dictionary<string, StoreItem> { ["a"] = new("1", null), ["b"] = new("2", null) });

        await Storage.DeleteAsync(["a", "never-there"]);

        Assert.Equal(["b"], (await Storage.ReadAsync(["a", "b"])).Keys);
        await Storage.WriteAsync(One("a", "again", null));
        Assert.Equal("again", (await Storage.ReadAsync(["a"]))["a"].Json);
    }

    [DatabaseFact]
    public async Task Fifty_concurrent_read_modify_writes_on_one_key_lose_no_increment()
    {
        // Each failed attempt means another writer succeeded, so 50 contenders need at most 50 attempts.
        var writers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Storage.UpdateAsync<int>("counter", n => n + 1, maxAttempts: 50)));
        await Task.WhenAll(writers);

        Assert.Equal("50", (await Storage.ReadAsync(["counter"]))["counter"].Json);
    }

    [DatabaseFact]
    public async Task A_thousand_keys_written_concurrently_are_all_stored()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => $"msteams/conversations/c{i}").ToArray();

        await Task.WhenAll(keys.Select(key => Task.Run(() => Storage.UpdateAsync<string[]>(key, seen => [.. seen ?? [], key]))));
        await Task.WhenAll(keys.Select(key => Task.Run(() => Storage.UpdateAsync<string[]>(key, seen => [.. seen ?? [], "again"]))));

        var read = await Storage.ReadAsync(keys);
        Assert.Equal(1000, read.Count);
        Assert.All(keys, key => Assert.Equal($"""["{key}","again"]""", read[key].Json));
    }
}

public sealed class MemoryStorageContractTests : StorageContractTests
{
    protected override IStorage Storage { get; } = new MemoryStorage();
}

public sealed class SqlStorageContractTests : StorageContractTests, IDisposable
{
    private readonly TempSqliteFile _file = new();

    public SqlStorageContractTests() => Storage = new SqlStorage(new SqliteDatabase(_file.Path));

    protected override IStorage Storage { get; }

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Two_stores_on_one_file_share_the_etag_contract_without_busy_errors()
    {
        // Two independent databases on one file stand for two processes: only SQLite's own lock orders them.
        var other = new SqlStorage(new SqliteDatabase(_file.Path));
        var stores = new[] { Storage, other };

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => stores[i % 2].UpdateAsync<int>("shared", n => n + 1, maxAttempts: 50))));

        Assert.Equal("50", (await other.ReadAsync(["shared"]))["shared"].Json);
    }
}
