using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Billing;
using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Alerts;
using PastDueBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// Issue 6: alert fan-out with two real bot processes on one PostgreSQL database. 500 subscribed channels and two
/// past-due subscriptions (the demo ledger's): the scanner opens two episodes, 1,000 alerts are decided, and both
/// processes send them from the shared outbox through a connector with Teams-like limits that fails 20% of sends with
/// 429/502/504. When a third has landed, the connector holds every further request (they count as delivered) until
/// each send slot of both processes holds one, so everything the victim started is known to have reached Teams; then
/// the scanner's holder is SIGKILLed, the held requests of the survivor are answered, and the survivor finishes:
/// the victim's unstarted claims come back after the claim timeout, its unanswered sends end "unconfirmed" (never
/// re-sent), and the scanner lease moves to it.
/// </summary>
[RequiresPostgres]
public sealed class ScaleOutFanOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Channels = 500;
    private const int Episodes = 2;
    private const int Alerts = Channels * Episodes;
    private const int TeamsRate = 200;
    private const int ConcurrentSends = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private string _connectionString = string.Empty;
    private LoopbackConnector _connector = null!;
    private readonly List<BotProcess> _bots = [];

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresTestServer.CreateDatabaseAsync("fanout");
        _connector = await LoopbackConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var bot in _bots) await bot.DisposeAsync();
        if (_connector is not null) await _connector.DisposeAsync();
        if (_connectionString.Length > 0) await PostgresTestServer.DropDatabaseAsync(_connectionString);
    }

    /// <summary>The channels subscribed and one admin's demo balances opened, with the bot's own store code.</summary>
    private async Task SeedAsync()
    {
        await using var database = new PostgresDatabase(_connectionString);
        var store = new AlertsStore(database, TimeProvider.System);
        for (var i = 0; i < Channels; i++)
        {
            await store.SubscribeAsync(new AlertChannel(ChannelId(i), "tenant-1", $"19:team-{i:D4}@thread.tacv2", _connector.ServiceUrl, "28:pastduebot", "en-US", true, null, null));
        }
        var ledger = new DemoBillingLedger(database, TimeProvider.System, Options.Create(new DemoBillingOptions()), NullLogger<DemoBillingLedger>.Instance);
        Assert.Equal(Episodes, (await ledger.GetPastDueSubscriptionsAsync(new BillingAccount("tenant-1", "admin-1"))).Count);
    }

    private static string ChannelId(int i) => $"19:channel-{i:D4}@thread.tacv2";

    /// <summary>Each instance takes half of Teams' per-tenant rate, as the README asks of several instances.</summary>
    private Dictionary<string, string?> Settings()
    {
        // A send's whole connector call (8 s per attempt, 9 s in all) ends before its row may be judged unconfirmed (10 s).
        var settings = FanOutSettings.Create(TeamsRate / 2, ConcurrentSends, sendTimeout: TimeSpan.FromSeconds(10));
        settings["Storage:Provider"] = "Postgres";
        settings["ConnectionStrings:Postgres"] = _connectionString;
        settings["Logging:LogLevel:PastDueBot.Alerts.Scanning"] = "Information";
        settings["Alerts:ScanInterval"] = "00:00:02";
        settings["Alerts:ScannerLeaseTtl"] = "00:00:03";
        settings["Connector:AttemptTimeout"] = "00:00:08";
        settings["Connector:TotalTimeout"] = "00:00:09";
        return settings;
    }

    [PostgresFact]
    public async Task Both_instances_send_and_when_one_is_killed_mid_fan_out_the_other_finishes_without_duplicates()
    {
        await SeedAsync();
        var limits = new TeamsLikeLimits(TeamsRate, failureRate: 0.2);
        _connector.Responder = limits.Respond;
        var settings = Settings();
        _bots.AddRange(await Task.WhenAll(BotProcess.StartAsync(_connector, settings), BotProcess.StartAsync(_connector, settings)));
        await using var database = new PostgresDatabase(_connectionString);
        var lease = new SqlLeaderLease(database, TimeProvider.System);

        // The middle, by count: a third of the alerts delivered; then every send slot of both processes holds a request.
        await WaitAsync(() => Task.FromResult(limits.DeliveredCount >= Alerts / 3), "a third of the alerts");
        limits.Stall = true;
        await WaitAsync(() => Task.FromResult(limits.HeldNow >= 2 * ConcurrentSends), "every send slot of both processes to hold a request");

        var scanner = await lease.GetHolderAsync(PastDueScanner.LeaseName) ?? throw new Xunit.Sdk.XunitException("No instance holds the scanner lease.");
        var victim = _bots.Single(bot => ProcessOf(scanner.Holder) == bot.ProcessId);
        var survivor = _bots.Single(bot => bot != victim);
        var sentBeforeKill = await SentPerProcessAsync();
        var victimClaims = await ScalarListAsync("SELECT id FROM alert_outbox WHERE state = 'pending' AND split_part(claimed_by, '/', 2) = @pid",
            victim.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var deliveredAtKill = limits.DeliveredCount;

        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        // Its connections close with it; once the connector has seen that, the survivor's held requests are answered.
        await WaitAsync(() => Task.FromResult(limits.AbortedHolds >= ConcurrentSends), "the killed process's held requests to be cut off");
        limits.Release();

        await WaitAsync(async () => await lease.GetHolderAsync(PastDueScanner.LeaseName) is { } holder && ProcessOf(holder.Holder) == survivor.ProcessId,
            "the survivor to take the scanner lease over");
        var takeover = clock.Elapsed;
        Assert.True((await lease.GetHolderAsync(PastDueScanner.LeaseName))!.Generation > scanner.Generation, "a takeover starts a new lease generation");
        var states = await WaitUntilDrainedAsync();
        var finished = clock.Elapsed;

        // Every channel got exactly one alert card per episode; nothing else reached Teams.
        var products = limits.Delivered.Keys.Select(key => key.Product).Distinct().ToList();
        Assert.Equal(Episodes, products.Count);
        Assert.Equal(Channels, limits.Delivered.Keys.Select(key => key.Channel).Distinct().Count());
        var duplicates = limits.Delivered.Where(pair => pair.Value != 1).ToList();
        Assert.True(duplicates.Count == 0, $"Channels with other than one alert: {string.Join(", ", duplicates.Select(d => $"{d.Key} ×{d.Value}"))}");
        for (var i = 0; i < Channels; i++)
        {
            foreach (var product in products) Assert.True(limits.Delivered.ContainsKey((ChannelId(i), product)), $"{ChannelId(i)} got no alert for {product}");
        }
        Assert.Equal(Alerts, limits.DeliveredCount);
        Assert.Equal(Episodes, await CountAsync("SELECT count(*) FROM alert_episodes"));

        // Both processes sent before the kill; the only unconfirmed rows are sends that reached Teams and were never answered.
        var victimPid = victim.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var survivorPid = survivor.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sentBeforeKill.GetValueOrDefault(victimPid) > 0, "the killed process had sent alerts");
        Assert.True(sentBeforeKill.GetValueOrDefault(survivorPid) > 0, "the surviving process had sent alerts before the kill");
        Assert.Equal(0, states.GetValueOrDefault("failed"));
        Assert.Equal(limits.AbortedHolds, states.GetValueOrDefault("unconfirmed"));
        Assert.InRange(limits.AbortedHolds, ConcurrentSends, 2 * ConcurrentSends);
        Assert.Equal(Alerts, states.GetValueOrDefault("sent") + states.GetValueOrDefault("unconfirmed"));

        // The survivor sent the rest, including the rows the victim had claimed but not started.
        var sentAfter = await SentPerProcessAsync();
        Assert.Equal(sentBeforeKill.GetValueOrDefault(victimPid), sentAfter.GetValueOrDefault(victimPid));
        Assert.True(sentAfter.GetValueOrDefault(survivorPid) > sentBeforeKill.GetValueOrDefault(survivorPid));
        Assert.Equal(states.GetValueOrDefault("sent"), sentAfter.Values.Sum());
        foreach (var id in victimClaims)
        {
            Assert.Equal($"sent {survivorPid}", Assert.Single(await ScalarListAsync("SELECT state || ' ' || split_part(claimed_by, '/', 2) FROM alert_outbox WHERE id = @pid", id)));
        }
        Assert.True(limits.InjectedFailures > 0);
        // No part of the bot hit an error on PostgreSQL (the connector's own retry logs are warnings).
        foreach (var bot in _bots)
        {
            Assert.DoesNotContain(bot.Output.Split('\n'), log => log.Contains("\"Category\":\"PastDueBot.", StringComparison.Ordinal)
                && (log.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || log.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)));
        }

        var line = $"Two-instance fan-out: {Alerts} alerts to {Channels} channels; before the kill (at {deliveredAtKill} delivered) the killed process had sent " +
            $"{sentBeforeKill.GetValueOrDefault(victimPid)} and the survivor {sentBeforeKill.GetValueOrDefault(survivorPid)}; {limits.AbortedHolds} sends of the killed process " +
            $"reached Teams unanswered (unconfirmed, not re-sent); {victimClaims.Count} of its unstarted claims went to the survivor, which sent " +
            $"{sentAfter.GetValueOrDefault(survivorPid)} in all; scanner lease taken over {takeover.TotalSeconds:0.0} s after the kill, outbox drained " +
            $"{finished.TotalSeconds:0.0} s after it; injected failures {limits.InjectedFailures}, over-limit 429s {limits.Throttled}.";
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static int ProcessOf(string holder) => int.Parse(holder.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sent outbox rows per process id (the claimer's name carries it).</summary>
    private async Task<Dictionary<string, int>> SentPerProcessAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT split_part(claimed_by, '/', 2), count(*) FROM alert_outbox WHERE state = 'sent' GROUP BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sent = new Dictionary<string, int>();
        while (await reader.ReadAsync()) sent[reader.GetString(0)] = (int)reader.GetInt64(1);
        return sent;
    }

    private async Task<List<string>> ScalarListAsync(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("pid", parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyDictionary<string, int>> WaitUntilDrainedAsync()
    {
        await using var database = new PostgresDatabase(_connectionString);
        var outbox = new PastDueBot.Alerts.Outbox.OutboxStore(new AlertsStore(database, TimeProvider.System), TimeProvider.System);
        IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();
        await WaitAsync(async () =>
        {
            counts = await outbox.CountByStateAsync(CancellationToken.None);
            return counts.GetValueOrDefault("sent") + counts.GetValueOrDefault("unconfirmed") + counts.GetValueOrDefault("failed") == Alerts;
        }, "the outbox to drain");
        return counts;
    }

    /// <summary>Polls (bounded, generously) until <paramref name="condition"/> holds; fails early if a bot that should run exited.</summary>
    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.\n" + string.Join("\n", _bots.Select(bot => $"--- process {bot.ProcessId} (exited: {bot.HasExited}) ---\n{bot.Output}")));
    }
}
