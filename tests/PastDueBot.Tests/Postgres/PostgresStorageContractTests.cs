using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests.Postgres;

/// <summary>The IStorage ETag contract on PostgreSQL, each test in its own schema; plus two "instances" on one database.</summary>
[RequiresPostgres]
public sealed class PostgresStorageContractTests(PostgresTestDatabase database) : StorageContractTests, IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private readonly List<PostgresDatabase> _opened = [];
    private string _connectionString = string.Empty;
    private IStorage? _storage;

    protected override IStorage Storage => _storage ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _connectionString = await database.NewSchemaAsync();
        _storage = NewInstance();
    }

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened) await opened.DisposeAsync();
    }

    /// <summary>Another process's view: its own data source (pool) and its own SqlStorage on the same schema.</summary>
    private SqlStorage NewInstance()
    {
        var db = new PostgresDatabase(_connectionString);
        _opened.Add(db);
        return new SqlStorage(db);
    }

    [PostgresFact]
    public async Task Two_instances_share_the_etag_contract_and_lose_no_increment()
    {
        var stores = new IStorage[] { Storage, NewInstance() };

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => stores[i % 2].UpdateAsync<int>("shared", n => n + 1, maxAttempts: 100))));

        Assert.Equal("100", (await stores[1].ReadAsync(["shared"]))["shared"].Json);
    }

    [PostgresFact]
    public async Task Two_instances_migrating_at_once_create_the_schema_once()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => NewInstance()).ToList();

        await Task.WhenAll(instances.Select(i => Task.Run(() => i.EnsureSchemaAsync())));
        await instances[3].WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new("1", null) });

        Assert.Equal("1", (await instances[0].ReadAsync(["k"]))["k"].Json);
    }

    [PostgresFact]
    public async Task Batches_touching_the_same_keys_in_opposite_orders_do_not_deadlock()
    {
        var a = NewInstance();
        var b = NewInstance();
        await a.WriteAsync(new Dictionary<string, StoreItem> { ["x"] = new("0", null), ["y"] = new("0", null) });

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
        {
            var changes = i % 2 == 0
                ? new Dictionary<string, StoreItem> { ["x"] = new($"{i}", StoreItem.AnyETag), ["y"] = new($"{i}", StoreItem.AnyETag) }
                : new Dictionary<string, StoreItem> { ["y"] = new($"{i}", StoreItem.AnyETag), ["x"] = new($"{i}", StoreItem.AnyETag) };
            return (i % 2 == 0 ? a : b).WriteAsync(changes);
        })));

        var read = await a.ReadAsync(["x", "y"]);
        Assert.Equal(read["x"].Json, read["y"].Json); // one batch won both keys: batches are atomic
    }
}
