using System.Diagnostics;
using System.Net;
using PastDueBot.Testing;

namespace PastDueBot.LoadTest;

/// <summary>Everything one run measured, for the report.</summary>
public sealed record RunResult(
    LoadOptions Options,
    TimeSpan StartUp,
    TurnRecorder Warmup,
    CpuSample WarmupCpu,
    TurnRecorder Measured,
    CpuSample MeasuredCpu,
    IReadOnlyList<(TurnRecorder Turns, CpuSample Cpu)> Repeats,
    CounterSample? MeasuredCounters,
    long PeakMemoryAfterMeasured,
    TurnRecorder? InFlight,
    CpuSample? InFlightCpu,
    long? PeakMemoryWithInFlight,
    long CurrentMemoryAtEnd,
    int ThreadsAtEnd,
    long ConnectorRejected,
    long ConnectorUnexpected,
    int? ChannelMetadataRequests,
    int? EntraTokenRequests,
    string LoadBefore,
    string LoadAfter,
    bool StoppedByLimit,
    string BotLog,
    string MemoryBreakdown,
    CpuSample DriverCpu,
    int? GraphRequests = null,
    int? GraphRefused = null,
    GcPauses AllPauses = default);

/// <summary>Starts Teams' side and the bot, then runs warm-up, the measured flows and (optionally) the in-flight phase.</summary>
public static class LoadRun
{
    public static async Task<RunResult> RunAsync(LoadOptions options, string botDll, CancellationToken cancellationToken)
    {
        var loadBefore = ProcessStats.LoadAverage();
        using var keys = options.Auth ? new ChannelKeys() : null;
        await using var entra = options.Auth ? await FakeEntraId.StartAsync() : null;
        await using var teams = await TeamsServer.StartAsync(keys, entra is null ? null : entra.IsIssued);
        await using var graph = options.Directory == "graph" ? await FakeGraph.StartAsync(entra!.IsIssued) : null;

        var environment = BotEnvironment(options, keys, entra, teams);
        if (graph is not null)
        {
            // The Graph directory with the bot's own app registration (MicrosoftAppId/Password/TenantId, set above);
            // Azure.Identity asks the run's Entra ID for the app-only token (AZURE_AUTHORITY_HOST is its documented override).
            environment["Directory__Provider"] = "Graph";
            environment["Graph__BaseUrl"] = graph.BaseUrl;
            environment["AZURE_AUTHORITY_HOST"] = entra!.BaseUrl.ToString();
            environment["Graph__DisableInstanceDiscovery"] = "true"; // an authority Microsoft does not list: nothing to discover
        }
        var pem = Path.Combine(Path.GetTempPath(), $"pastduebot-load-ca-{Guid.NewGuid():N}.pem");
        try
        {
            if (entra is not null)
            {
                await File.WriteAllTextAsync(pem, entra.CertificatePem(), cancellationToken);
                environment["SSL_CERT_FILE"] = pem;
            }
            var result = await RunBotAsync(options, botDll, environment, keys, entra, teams, loadBefore, cancellationToken);
            return graph is null ? result : result with { GraphRequests = graph.Requests, GraphRefused = graph.Refused };
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private static async Task<RunResult> RunBotAsync(LoadOptions options, string botDll, Dictionary<string, string> environment, ChannelKeys? keys, FakeEntraId? entra, TeamsServer teams, string loadBefore, CancellationToken cancellationToken)
    {

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        var bot = BotProcess.Start(botDll, BotProcess.FreePort(), environment);
        await using var _ = bot;
        bot.KeepData = options.KeepData;
        var botId = options.Auth ? $"28:{keys!.AppId}" : "28:pastduebot";
        var channel = new TeamsChannel(http, bot.Endpoint, teams.ServiceUrl, botId, keys?.CreateToken(teams.ServiceUrl));
        var flow = new SettleFlow(channel, teams.Connector, options.TurnTimeout, options.Think);

        var startUp = await WaitForFirstAnswerAsync(bot, channel, teams.Connector, cancellationToken);
        using var counters = RuntimeCounters.TryAttach(bot.Pid);

        var warmup = new TurnRecorder("warm-up");
        var measured = new TurnRecorder("measured");
        TurnRecorder? inFlight = null;
        long? peakWithInFlight = null;
        CpuSample? inFlightCpu = null;
        var stoppedByLimit = false;
        CpuSample cpu = default;
        CpuSample driverCpu = default;
        CpuSample warmupCpu = default;
        CpuSample? before = null;
        CounterSample? measuredCounters = null;
        long peakAfterMeasured = 0;
        GcPauses allPauses = default;
        var repeats = new List<(TurnRecorder Turns, CpuSample Cpu)>();
        try
        {
            var warmupStart = bot.Cpu();
            await RunFlowsAsync(flow, "w", options.Warmup, options.Admins, SettleFlow.FullFlow, warmup, cancellationToken);
            warmupCpu = bot.Cpu() - warmupStart;

            var countersBefore = await QuietSampleAsync(counters, cancellationToken);
            var driverBefore = ProcessStats.Cpu(Environment.ProcessId);
            before = bot.Cpu();
            await RunFlowsAsync(flow, "m", options.Conversations, options.Admins, SettleFlow.FullFlow, measured, cancellationToken);
            cpu = bot.Cpu() - before.Value;
            driverCpu = ProcessStats.Cpu(Environment.ProcessId) - driverBefore;
            measuredCounters = await QuietSampleAsync(counters, cancellationToken) - countersBefore;

            for (var run = 2; run <= options.Repeat; run++)
            {
                var again = new TurnRecorder($"measured {run}");
                var againStart = bot.Cpu();
                await RunFlowsAsync(flow, $"m{run}", options.Conversations, options.Admins, SettleFlow.FullFlow, again, cancellationToken);
                repeats.Add((again, bot.Cpu() - againStart));
            }
            peakAfterMeasured = bot.PeakMemory();

            if (options.InFlight > 0)
            {
                // Conversations left mid-flow: each admin says "settle" and walks away from the subscription card, so the
                // bot holds a seeded ledger and a stored dialog stack (a waiting prompt) for every one of them.
                inFlight = new TurnRecorder("in-flight");
                var inFlightStart = bot.Cpu();
                await RunFlowsAsync(flow, "f", options.InFlight, options.Admins, 1, inFlight, cancellationToken);
                inFlightCpu = bot.Cpu() - inFlightStart;
                peakWithInFlight = bot.PeakMemory();
            }
            // Every pause of the run, to set against each measured phase's turns.
            allPauses = (await QuietSampleAsync(counters, cancellationToken))?.Pauses ?? default;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stoppedByLimit = true;
            // Stopped mid-phase: report what the measured phase got through (its turns and CPU so far).
            if (cpu == default && before is { } start && !bot.HasExited)
            {
                cpu = bot.Cpu() - start;
                peakAfterMeasured = bot.PeakMemory();
            }
            if (inFlight is not null && peakWithInFlight is null && !bot.HasExited) peakWithInFlight = bot.PeakMemory();
        }

        var current = bot.HasExited ? 0 : bot.CurrentMemory();
        var threads = bot.HasExited ? 0 : ProcessStats.Threads(bot.Pid);
        return new RunResult(options, startUp, warmup, warmupCpu, measured, cpu, repeats, measuredCounters, peakAfterMeasured, inFlight, inFlightCpu, peakWithInFlight, current, threads,
            teams.Connector.Rejected, teams.Connector.Unexpected, keys?.MetadataRequests, entra?.TokenRequests.Count,
            loadBefore, ProcessStats.LoadAverage(), stoppedByLimit, bot.HasExited ? bot.Tail() : options.KeepData ? bot.LogPath : "deleted with the data directory (--keep-data keeps it)",
            bot.HasExited ? "" : ProcessStats.MemoryBreakdown(bot.Pid), driverCpu, AllPauses: allPauses);
    }

    /// <summary>The bot's configuration: its embedded defaults, plus the channel and Entra ID of this run when authentication is on.</summary>
    private static Dictionary<string, string> BotEnvironment(LoadOptions options, ChannelKeys? keys, FakeEntraId? entra, TeamsServer teams)
    {
        var environment = new Dictionary<string, string>();
        if (keys is not null && entra is not null)
        {
            environment["MicrosoftAppId"] = keys.AppId;
            environment["MicrosoftAppPassword"] = entra.Secret;
            environment["MicrosoftAppType"] = "SingleTenant";
            environment["MicrosoftAppTenantId"] = entra.TenantId;
            environment["ToBotFromChannelOpenIdMetadataUrl"] = teams.MetadataUrl;
            environment["ToChannelFromBotLoginUrl"] = entra.LoginUrl;
        }
        else
        {
            environment["MicrosoftAppId"] = "";
        }

        if (options.Storage == "postgres")
        {
            environment["Storage__Provider"] = "Postgres";
            environment["ConnectionStrings__Postgres"] = options.PostgresConnection!;
        }

        foreach (var (key, value) in options.BotEnvironment) environment[key] = value;
        return environment;
    }

    /// <summary>
    /// The counters' totals once the bot has been idle for a whole publishing interval, so that everything a phase
    /// allocated is in them and nothing of the next phase is.
    /// </summary>
    internal static async Task<CounterSample?> QuietSampleAsync(RuntimeCounters? counters, CancellationToken cancellationToken)
    {
        if (counters is null) return null;
        await Task.Delay(TimeSpan.FromSeconds(2.2), cancellationToken);
        return counters.Sample();
    }

    /// <summary>Start-up: from just before the process starts until an activity is answered with 200 and its reply has arrived.</summary>
    internal static async Task<TimeSpan> WaitForFirstAnswerAsync(BotProcess bot, TeamsChannel channel, FakeConnector connector, CancellationToken cancellationToken)
    {
        var user = TeamsUser.Create("s", 0);
        var inbox = connector.InboxOf(user.ConversationId);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bot.HasExited) throw new InvalidOperationException($"The bot exited during start-up:\n{bot.Tail()}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"The bot did not answer within 60 s:\n{bot.Tail()}");

            var post = await channel.PostAsync(channel.Message(user, "help"), TimeSpan.FromSeconds(60), cancellationToken);
            if (post.Status == 200)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var reply = await inbox.WaitForAsync(0, _ => true, timeout.Token);
                connector.Forget(user.ConversationId);
                return Stopwatch.GetElapsedTime(bot.StartedAt, Math.Max(post.CompletedAt, reply.ArrivedAt));
            }
            if (post.Status == 0 && post.Error?.StartsWith("no response", StringComparison.Ordinal) == true)
                throw new TimeoutException($"The bot did not answer its first activity within 60 s:\n{bot.Tail()}");
            if (post.Status != 0) throw new InvalidOperationException($"The bot answered its first activity with HTTP {post.Status}:\n{bot.Tail()}");
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary><paramref name="count"/> conversations, <paramref name="concurrency"/> admins at a time, each through <paramref name="turns"/> turns.</summary>
    private static Task RunFlowsAsync(SettleFlow flow, string run, int count, int concurrency, int turns, TurnRecorder recorder, CancellationToken cancellationToken) =>
        RunConversationsAsync(run, count, concurrency, recorder, user => flow.RunAsync(user, turns, recorder, cancellationToken), cancellationToken);

    /// <summary>
    /// <paramref name="count"/> conversations, <paramref name="concurrency"/> admins at a time: each admin takes the next
    /// conversation as soon as <paramref name="converse"/> has finished the previous one (true: completed).
    /// </summary>
    internal static async Task RunConversationsAsync(string run, int count, int concurrency, TurnRecorder recorder, Func<TeamsUser, Task<bool>> converse, CancellationToken cancellationToken)
    {
        var next = 0;
        recorder.Start();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
            {
                int number;
                while ((number = Interlocked.Increment(ref next)) <= count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    recorder.Flow(await converse(TeamsUser.Create(run, number)));
                }
            }, cancellationToken)));
        }
        finally
        {
            recorder.Stop();
        }
    }
}
