using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// The named lease behind "the scanner runs on exactly one instance", between instances on shared data with one
/// fake clock (see <see cref="InstancesOnSharedData"/>).
/// </summary>
public abstract class LeaderLeaseTests : InstancesOnSharedData
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private SqlLeaderLease Instance() => new(OpenInstance(), Time);

    [DatabaseFact]
    public async Task The_holder_renews_others_are_refused_and_takeover_follows_expiry_with_a_new_generation()
    {
        var a = Instance();
        var b = Instance();

        var first = await a.TryAcquireAsync("alert-scanner", "instance-a", Ttl);
        Assert.NotNull(first);
        Assert.Null(await b.TryAcquireAsync("alert-scanner", "instance-b", Ttl));

        Time.Advance(TimeSpan.FromSeconds(20));
        var renewed = await a.TryAcquireAsync("alert-scanner", "instance-a", Ttl);
        Assert.Equal(first.Generation, renewed!.Generation);
        Assert.Equal(Time.GetUtcNow() + Ttl, renewed.ExpiresAt);

        // A stops renewing (killed): B is refused until the last renewal has expired, then takes over.
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await b.TryAcquireAsync("alert-scanner", "instance-b", Ttl));
        Time.Advance(TimeSpan.FromSeconds(1));
        var takeover = await b.TryAcquireAsync("alert-scanner", "instance-b", Ttl);
        Assert.Equal(first.Generation + 1, takeover!.Generation);
        Assert.Equal("instance-b", (await a.GetHolderAsync("alert-scanner"))!.Holder);

        // The old holder coming back does not get it while B renews.
        Assert.Null(await a.TryAcquireAsync("alert-scanner", "instance-a", Ttl));
    }

    [DatabaseFact]
    public async Task A_released_lease_is_taken_at_once()
    {
        var a = Instance();
        var b = Instance();
        await a.TryAcquireAsync("alert-scanner", "instance-a", Ttl);

        await b.ReleaseAsync("alert-scanner", "instance-b"); // not the holder: no effect
        Assert.Null(await b.TryAcquireAsync("alert-scanner", "instance-b", Ttl));
        await a.ReleaseAsync("alert-scanner", "instance-a");

        Assert.Null(await a.GetHolderAsync("alert-scanner"));
        Assert.Equal(2, (await b.TryAcquireAsync("alert-scanner", "instance-b", Ttl))!.Generation);
    }

    [DatabaseFact]
    public async Task Many_contenders_at_once_produce_exactly_one_holder()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => Instance()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await instances[i % 4].TryAcquireAsync("alert-scanner", $"instance-{i}", Ttl);
        })).ToList();
        start.SetResult();
        var grants = (await Task.WhenAll(attempts)).OfType<LeaseGrant>().ToList();

        var winner = Assert.Single(grants);
        Assert.Equal(winner.Holder, (await instances[0].GetHolderAsync("alert-scanner"))!.Holder);
    }

    [DatabaseFact]
    public async Task Leases_with_different_names_are_independent()
    {
        var a = Instance();
        Assert.NotNull(await a.TryAcquireAsync("alert-scanner", "instance-a", Ttl));
        Assert.NotNull(await Instance().TryAcquireAsync("outbox-sweeper", "instance-b", Ttl));
    }
}

public sealed class SqliteLeaderLeaseTests : LeaderLeaseTests, IDisposable
{
    private readonly TempSqliteFile _file = new();

    protected override ISqlDatabase OpenShared() => new SqliteDatabase(_file.Path);

    public void Dispose() => _file.Dispose();
}

[RequiresPostgres]
public sealed class PostgresLeaderLeaseTests(PostgresTestDatabase database) : LeaderLeaseTests, IClassFixture<PostgresTestDatabase>
{
    private string _connectionString = string.Empty;

    public override async Task InitializeAsync() => _connectionString = await database.NewSchemaAsync();

    protected override ISqlDatabase OpenShared() => new PostgresDatabase(_connectionString);
}
