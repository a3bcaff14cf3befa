using System.Globalization;
using System.Net;
using System.Text;

namespace PastDueBot.LoadTest;

/// <summary>
/// Drives <see cref="FloorBot"/> exactly as the bot is driven (same channel, connector, admins and turn count, same
/// process settings as the bot's runtimeconfig) and prints its CPU, allocations and latency per turn: the part of the
/// bot's figures that no change to the bot's own code can remove on this machine.
/// </summary>
public static class FloorRun
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var teams = await TeamsServer.StartAsync(keys: null, acceptsToken: null);
        var environment = new Dictionary<string, string>
        {
            [FloorBot.RoleVariable] = "floor",
            // The bot's runtimeconfig (bot/Host/PastDueBot.Host.csproj) and log levels (appsettings.json).
            ["DOTNET_gcServer"] = "1",
            ["DOTNET_GCHeapHardLimit"] = "0xC000000",
            ["DOTNET_gcConcurrent"] = "0",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
        };
        foreach (var (key, value) in options.BotEnvironment) environment[key] = value;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var bot = BotProcess.Start(typeof(FloorRun).Assembly.Location, BotProcess.FreePort(), environment);
        await using var _ = bot;
        var channel = new TeamsChannel(http, bot.Endpoint, teams.ServiceUrl, "28:floor", token: null);
        var startUp = await LoadRun.WaitForFirstAnswerAsync(bot, channel, teams.Connector, cancellationToken);
        using var counters = RuntimeCounters.TryAttach(bot.Pid);

        var warmup = new TurnRecorder("warm-up");
        await DriveAsync(channel, teams.Connector, "w", options.Warmup, options, warmup, cancellationToken);
        var gcBefore = await LoadRun.QuietSampleAsync(counters, cancellationToken);
        var measured = new TurnRecorder("measured");
        var cpuBefore = bot.Cpu();
        await DriveAsync(channel, teams.Connector, "m", options.Conversations, options, measured, cancellationToken);
        var cpu = bot.Cpu() - cpuBefore;
        var peak = bot.PeakMemory();
        var gc = await LoadRun.QuietSampleAsync(counters, cancellationToken) - gcBefore;

        var l = measured.Latency();
        var turns = measured.Turns;
        var s = new StringBuilder();
        s.AppendLine(Inv($"Plumbing floor: Kestrel takes each activity, parses it, posts one reply to the connector, answers 200 (no auth, state, dialog or card)"));
        s.AppendLine(Inv($"{options.Admins} concurrent admins, {options.Conversations} conversations x {SettleFlow.FullFlow} turns (+{options.Warmup} warm-up); load average {ProcessStats.LoadAverage()}"));
        s.AppendLine(Inv($"start-up to first answered activity: {startUp.TotalMilliseconds:0} ms"));
        s.AppendLine(Inv($"measured: {turns} turns, {measured.TurnsPerSecond:0} turns/s, p50 {l.P50:0.0} / p90 {l.P90:0.0} / p99 {l.P99:0.0} / max {l.Max:0.0} ms, {measured.Errors} errors"));
        s.AppendLine(Inv($"floor CPU per turn: {cpu.User.TotalSeconds:0.00} s user + {cpu.System.TotalSeconds:0.00} s system over {turns} turns = {cpu.Total.TotalMilliseconds / Math.Max(turns, 1):0.000} ms ({cpu.Total.TotalSeconds / Math.Max(measured.Elapsed.TotalSeconds, 1e-9):0.00} cores busy); {cpu.MinorFaults / (double)Math.Max(turns, 1):0.0} page faults per turn"));
        if (gc is { } g) s.AppendLine(Inv($"floor allocations per turn (runtime counters): {g.AllocatedBytes / Math.Max(turns, 1) / 1024:0.0} KB"));
        s.AppendLine(Inv($"floor memory: peak (VmHWM) {peak / 1048576.0:0.0} MB; {ProcessStats.MemoryBreakdown(bot.Pid)}"));
        Console.WriteLine(s.ToString());
        return measured.Errors == 0 ? 0 : 1;
    }

    /// <summary><paramref name="conversations"/> conversations of <see cref="SettleFlow.FullFlow"/> messages each, one reply awaited per message.</summary>
    private static Task DriveAsync(TeamsChannel channel, FakeConnector connector, string run, int conversations, LoadOptions options, TurnRecorder recorder, CancellationToken cancellationToken) =>
        LoadRun.RunConversationsAsync(run, conversations, options.Admins, recorder, async user =>
        {
            var ok = true;
            for (var turn = 0; turn < SettleFlow.FullFlow && ok; turn++)
            {
                ok = await TurnAsync(channel, connector, user, turn, options.TurnTimeout, recorder, cancellationToken);
            }
            connector.Forget(user.ConversationId);
            return ok;
        }, cancellationToken);

    private static async Task<bool> TurnAsync(TeamsChannel channel, FakeConnector connector, TeamsUser user, int turn, TimeSpan turnTimeout, TurnRecorder recorder, CancellationToken cancellationToken)
    {
        var inbox = connector.InboxOf(user.ConversationId);
        var from = inbox.Count;
        var post = await channel.PostAsync(channel.Message(user, "turn " + turn.ToString(CultureInfo.InvariantCulture)), turnTimeout, cancellationToken);
        if (post.Status != 200)
        {
            recorder.Error("floor", post.Error ?? $"HTTP {post.Status}");
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(turnTimeout);
        try
        {
            var reply = await inbox.WaitForAsync(from, _ => true, timeout.Token);
            recorder.Turn("floor", post.StartedAt, post.CompletedAt, reply.ArrivedAt);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Error("floor", "the reply did not arrive in time");
            return false;
        }
    }

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
