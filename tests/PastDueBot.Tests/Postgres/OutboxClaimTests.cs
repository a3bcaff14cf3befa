using System.Collections.Concurrent;
using Npgsql;
using PastDueBot.Alerts.Outbox;
using PastDueBot.Alerts.Storage;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;
using Xunit.Abstractions;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// The alert outbox's claims between instances on shared data with one fake clock (see
/// <see cref="InstancesOnSharedData"/>), on the store code the dispatcher uses. "Sending" here is the store's protocol
/// around the HTTP call (mark sending, then complete), with a ledger in place of Teams.
/// </summary>
public abstract class OutboxClaimTests(ITestOutputHelper output) : InstancesOnSharedData
{
    protected const string Episode = "episode-1";
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(3);

    protected OutboxStore Instance(out AlertsStore store)
    {
        store = new AlertsStore(OpenInstance(), Time);
        return new OutboxStore(store, Time);
    }

    protected OutboxStore Instance() => Instance(out _);

    /// <summary><paramref name="channels"/> subscribed channels and an alert decided for each: that many pending rows.</summary>
    protected async Task<IReadOnlyList<string>> DecideAlertsAsync(int channels)
    {
        Instance(out var store);
        for (var i = 0; i < channels; i++)
        {
            await store.SubscribeAsync(new AlertChannel($"19:c{i:D4}@thread.tacv2", "tenant-1", null, "http://127.0.0.1:1/teams/", "28:pastduebot", "en-US", true, null, null));
        }
        Assert.Equal(channels, await store.EnqueuePostsAsync(Episode, "tenant-1"));
        return Enumerable.Range(0, channels).Select(i => $"{Episode}|19:c{i:D4}@thread.tacv2|post|0").ToList();
    }

    /// <summary>What AlertSender does around the POST: no send without winning "sending"; the ledger plays Teams.</summary>
    private static async Task<bool> SendAsync(OutboxStore outbox, string claimer, OutboxItem item, ConcurrentDictionary<string, int> teams)
    {
        if (!await outbox.MarkSendingAsync(item, claimer, SendTimeout, CancellationToken.None)) return false;
        teams.AddOrUpdate(item.Id, 1, (_, n) => n + 1);
        await outbox.CompletePostAsync(item, $"19:thread-{item.Id}", "1", CancellationToken.None);
        return true;
    }

    [DatabaseFact]
    public async Task Claimers_racing_on_two_instances_get_disjoint_rows_and_send_each_exactly_once()
    {
        var ids = await DecideAlertsAsync(300);
        var instances = new[] { Instance(), Instance() };
        var claimed = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var teams = new ConcurrentDictionary<string, int>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Four claimers per instance, small batches, each claiming until the pool is empty.
        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var outbox = instances[n % 2];
            var name = $"instance-{n % 2}/claimer-{n}";
            await start.Task;
            while (true)
            {
                var batch = await outbox.ClaimAsync(name, 5, ClaimFor, CancellationToken.None);
                if (batch.Count == 0) return;
                foreach (var item in batch)
                {
                    claimed.GetOrAdd(item.Id, _ => []).Add(name);
                    Assert.True(await SendAsync(outbox, name, item, teams), $"{name} lost its fresh claim on {item.Id}");
                }
            }
        })).ToList();
        start.SetResult();
        await Task.WhenAll(claimers);

        Assert.Equal(ids.Order(), claimed.Keys.Order());
        Assert.All(claimed, pair => Assert.Single(pair.Value));
        Assert.Equal(ids.Order(), teams.Keys.Order());
        Assert.All(teams.Values, sends => Assert.Equal(1, sends));
        var states = await instances[0].CountByStateAsync(CancellationToken.None);
        Assert.Equal(ids.Count, states["sent"]);
        Assert.Single(states);
        var perClaimer = claimed.GroupBy(pair => pair.Value.Single()).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{ids.Count} rows; claimed per claimer: {string.Join(", ", perClaimer.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
    }

    [DatabaseFact]
    public async Task A_row_whose_claimer_died_is_claimed_again_after_the_claim_timeout_and_sent_once()
    {
        var ids = await DecideAlertsAsync(10);
        var dead = Instance();
        var survivor = Instance();
        var teams = new ConcurrentDictionary<string, int>();

        var orphans = await dead.ClaimAsync("dead", 3, ClaimFor, CancellationToken.None);
        Assert.Equal(3, orphans.Count);

        // While the claim lasts the survivor gets every other row, and not those.
        var others = await survivor.ClaimAsync("survivor", 100, ClaimFor, CancellationToken.None);
        Assert.Equal(ids.Except(orphans.Select(o => o.Id)).Order(), others.Select(o => o.Id).Order());
        foreach (var item in others) Assert.True(await SendAsync(survivor, "survivor", item, teams));
        Time.Advance(ClaimFor - TimeSpan.FromSeconds(1));
        Assert.Empty(await survivor.ClaimAsync("survivor", 100, ClaimFor, CancellationToken.None));

        Time.Advance(TimeSpan.FromSeconds(2));
        var reclaimed = await survivor.ClaimAsync("survivor", 100, ClaimFor, CancellationToken.None);
        Assert.Equal(orphans.Select(o => o.Id).Order(), reclaimed.Select(o => o.Id).Order());

        // The first claimer was only stalled and comes back: its stale claims send nothing.
        foreach (var item in orphans) Assert.False(await SendAsync(dead, "dead", item, teams));
        foreach (var item in reclaimed) Assert.True(await SendAsync(survivor, "survivor", item, teams));

        Assert.Equal(ids.Order(), teams.Keys.Order());
        Assert.All(teams.Values, sends => Assert.Equal(1, sends));
        Assert.Equal(ids.Count, (await survivor.CountByStateAsync(CancellationToken.None))["sent"]);
    }

    [DatabaseFact]
    public async Task A_send_whose_sender_died_is_marked_unconfirmed_and_never_claimed_again()
    {
        await DecideAlertsAsync(1);
        var dead = Instance();
        var survivor = Instance();
        var item = Assert.Single(await dead.ClaimAsync("dead", 1, ClaimFor, CancellationToken.None));
        Assert.True(await dead.MarkSendingAsync(item, "dead", SendTimeout, CancellationToken.None));
        // ... and the process dies before Teams answered: the alert may or may not be in the channel.

        Time.Advance(ClaimFor + TimeSpan.FromSeconds(1));
        Assert.Empty(await survivor.ClaimAsync("survivor", 10, ClaimFor, CancellationToken.None));
        Assert.Equal(0, await survivor.SweepUnconfirmedAsync(CancellationToken.None));

        Time.Advance(SendTimeout);
        Assert.Equal(1, await survivor.SweepUnconfirmedAsync(CancellationToken.None));
        Assert.Empty(await survivor.ClaimAsync("survivor", 10, ClaimFor, CancellationToken.None));
        var states = await survivor.CountByStateAsync(CancellationToken.None);
        Assert.Equal(1, Assert.Single(states).Value);
        Assert.Equal("unconfirmed", states.Keys.Single());
    }
}

public sealed class SqliteOutboxClaimTests(ITestOutputHelper output) : OutboxClaimTests(output), IDisposable
{
    private readonly TempSqliteFile _file = new();

    protected override ISqlDatabase OpenShared() => new SqliteDatabase(_file.Path);

    public void Dispose() => _file.Dispose();
}

[RequiresPostgres]
public sealed class PostgresOutboxClaimTests(PostgresTestDatabase database, ITestOutputHelper output) : OutboxClaimTests(output), IClassFixture<PostgresTestDatabase>
{
    private string _connectionString = string.Empty;

    public override async Task InitializeAsync() => _connectionString = await database.NewSchemaAsync();

    protected override ISqlDatabase OpenShared() => new PostgresDatabase(_connectionString);

    /// <summary>
    /// What makes two claims at the same moment disjoint: rows another claim has locked (its statement still running,
    /// here a transaction left open) are skipped at once rather than waited for, and are claimable once it ends.
    /// </summary>
    [PostgresFact]
    public async Task A_claim_skips_the_rows_a_concurrent_claim_has_locked_instead_of_waiting_for_them()
    {
        var ids = await DecideAlertsAsync(12);
        var outbox = Instance();

        await using var other = new NpgsqlConnection(_connectionString);
        await other.OpenAsync();
        var inFlight = await other.BeginTransactionAsync();
        var locked = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT id FROM alert_outbox ORDER BY next_attempt_at, id LIMIT 5 FOR UPDATE", other, inFlight))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) locked.Add(reader.GetString(0));
        }

        using var noWaiting = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a claim that waited on the locks would hang until then
        var claimed = await outbox.ClaimAsync("b", 100, TimeSpan.FromSeconds(30), noWaiting.Token);
        Assert.Equal(ids.Except(locked).Order(), claimed.Select(c => c.Id).Order());

        await inFlight.RollbackAsync();
        var rest = await outbox.ClaimAsync("b", 100, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(locked.Order(), rest.Select(c => c.Id).Order());
    }
}
