using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Outbox;
using PastDueBot.Alerts.Storage;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Billing;
using PastDueBot.Storage.Sql;
using Xunit.Abstractions;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// Fan-out to 1,000 subscribed channels (two past-due subscriptions: 2,000 alerts) through a connector with
/// Teams-like limits that fails 20% of sends with 429/502/504, with the bot running as a real process on a SQLite
/// file. The per-tenant rate is raised from Teams' 50/s to <see cref="TestRate"/>/s on both sides so the test
/// stays short; the benchmark uses the real 50/s.
/// </summary>
public sealed class FanOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Channels = 1000;
    private const int TestRate = 200;
    private const int ConcurrentSends = 8;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pastduebot-fanout-" + Guid.NewGuid().ToString("N"));
    private LoopbackConnector _connector = null!;

    private string DatabasePath => Path.Combine(_directory, "pastduebot.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _connector = await LoopbackConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>1,000 channels subscribed and one admin's demo balances seeded, written with the bot's own store code.</summary>
    private async Task SeedAsync()
    {
        var database = new SqliteDatabase(DatabasePath);
        var store = new AlertsStore(database, TimeProvider.System);
        for (var i = 0; i < Channels; i++)
        {
            await store.SubscribeAsync(new AlertChannel($"19:channel-{i:D4}@thread.tacv2", "tenant-1", $"19:team-{i:D4}@thread.tacv2",
                _connector.ServiceUrl, "28:pastduebot", "en-US", true, null, null));
        }
        var ledger = new DemoBillingLedger(database, TimeProvider.System, Options.Create(new DemoBillingOptions()), NullLogger<DemoBillingLedger>.Instance);
        Assert.Equal(2, (await ledger.GetPastDueSubscriptionsAsync(new BillingAccount("tenant-1", "admin-1"))).Count);
        SqliteConnection.ClearAllPools();
    }

    private static Dictionary<string, string?> Settings(int rate, int concurrentSends = ConcurrentSends) =>
        FanOutSettings.Create(rate, concurrentSends, sendTimeout: TimeSpan.FromSeconds(3));

    private async Task<IReadOnlyDictionary<string, int>> WaitUntilDrainedAsync(BotProcess bot, int expected)
    {
        var outbox = new OutboxStore(new AlertsStore(new SqliteDatabase(DatabasePath), TimeProvider.System), TimeProvider.System);
        for (var i = 0; i < 1800; i++)
        {
            var counts = await outbox.CountByStateAsync(CancellationToken.None);
            if (counts.GetValueOrDefault("sent") + counts.GetValueOrDefault("unconfirmed") + counts.GetValueOrDefault("failed") == expected) return counts;
            if (bot.HasExited) throw new Xunit.Sdk.XunitException("The bot exited:\n" + bot.Output);
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The outbox never drained:\n" + bot.Output);
    }

    private static async Task WaitAsync(Func<bool> condition, BotProcess bot, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (condition()) return;
            if (bot.HasExited) throw new Xunit.Sdk.XunitException("The bot exited:\n" + bot.Output);
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}:\n{bot.Output}");
    }

    [Fact]
    public async Task Every_channel_gets_exactly_one_alert_even_when_the_process_is_killed_mid_fan_out()
    {
        await SeedAsync();
        var limits = new TeamsLikeLimits(TestRate, failureRate: 0.2);
        _connector.Responder = limits.Respond;

        // First process: runs until 700 alerts have landed, then every new send is held unanswered; once all its
        // send slots hold such a request, nothing it started is still on the way, and it is killed (SIGKILL).
        await using (var first = await BotProcess.StartAsync(DatabasePath, _connector, Settings(TestRate)))
        {
            await WaitAsync(() => limits.DeliveredCount >= 700, first, "700 alerts");
            limits.Stall = true;
            await WaitAsync(() => Volatile.Read(ref limits.StalledCount) >= ConcurrentSends, first, "every send slot to hold a request");
            await first.KillAsync();
        }
        var deliveredBeforeRestart = limits.DeliveredCount;
        Assert.True(deliveredBeforeRestart < 2 * Channels, "the kill came mid fan-out");
        limits.Stall = false;

        await using var second = await BotProcess.StartAsync(DatabasePath, _connector, Settings(TestRate));
        var states = await WaitUntilDrainedAsync(second, 2 * Channels);

        var products = limits.Delivered.Keys.Select(key => key.Product).Distinct().ToList();
        Assert.Equal(2, products.Count);
        for (var i = 0; i < Channels; i++)
        {
            foreach (var product in products)
            {
                Assert.Equal(1, limits.Delivered.GetValueOrDefault(($"19:channel-{i:D4}@thread.tacv2", product)));
            }
        }
        Assert.Equal(2 * Channels, limits.DeliveredCount);
        // The sends in flight at the kill were delivered but never answered: recorded as unconfirmed, not repeated.
        Assert.Equal(limits.StalledCount, states.GetValueOrDefault("unconfirmed"));
        Assert.Equal(0, states.GetValueOrDefault("failed"));
        Assert.True(limits.InjectedFailures > 0);
        output.WriteLine($"Delivered {deliveredBeforeRestart} before the kill, {limits.StalledCount} in flight at the kill (unconfirmed, not re-sent), " +
            $"{2 * Channels - deliveredBeforeRestart} after the restart; injected failures {limits.InjectedFailures}, throttled by the limit {limits.Throttled}.");
    }

    /// <summary>The benchmark: Teams' real 50 requests/s per tenant, 20% failures, default concurrency; prints delivered against permitted.</summary>
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Benchmark_delivered_rate_against_the_permitted_rate()
    {
        const int permitted = 50;
        await SeedAsync();
        var limits = new TeamsLikeLimits(permitted, failureRate: 0.2);
        _connector.Responder = limits.Respond;

        await using var bot = await BotProcess.StartAsync(DatabasePath, _connector, Settings(permitted, new PastDueBot.Alerts.AlertsOptions().MaxConcurrentSends));
        await WaitUntilDrainedAsync(bot, 2 * Channels);
        var times = limits.DeliveredAt.ToArray();
        var seconds = (times.Max() - times.Min()).TotalSeconds;
        var rate = (times.Length - 1) / seconds;
        var attempts = times.Length + limits.InjectedFailures + limits.Throttled;
        var line = $"Alerts benchmark: {times.Length} alerts to {Channels} channels in {seconds:0.0} s = {rate:0.0} delivered/s " +
            $"against {permitted}/s permitted ({rate / permitted:P0}); {attempts / seconds:0.0} requests/s incl. {limits.InjectedFailures} injected failures " +
            $"and {limits.Throttled} over-limit 429s; at most {0.8 * permitted:0} delivered/s are possible when 20% fail.";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.Equal(2 * Channels, limits.DeliveredCount);
    }
}
