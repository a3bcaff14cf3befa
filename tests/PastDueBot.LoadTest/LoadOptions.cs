using System.Globalization;

namespace PastDueBot.LoadTest;

/// <summary>Command line of the load test. Every value has a default that matches the published targets.</summary>
public sealed record LoadOptions
{
    public int Admins { get; init; } = 32;
    public int Conversations { get; init; } = 500;
    /// <summary>
    /// Enough turns for a JIT-compiled bot to reach its steady state on two busy cores: with dynamic PGO the hot
    /// methods first run instrumented, and under unbroken load the runtime keeps putting off their final tier (each
    /// method first called restarts its delay). After 2,500 flows the first measured phase still cost 0.50-0.69 ms a
    /// turn against 0.33-0.36 in the phases after it; after 7,500 flows, 0.38.
    /// </summary>
    public int Warmup { get; init; } = 7500;
    public bool Auth { get; init; } = true;
    public string Storage { get; init; } = "sqlite";
    /// <summary>demo (the embedded demo directory) or graph (the Graph directory against <see cref="FakeGraph"/>).</summary>
    public string Directory { get; init; } = "demo";
    public string? PostgresConnection { get; init; }
    public int InFlight { get; init; }
    /// <summary>Measured phases run back to back in the same bot process; CPU and p99 are judged on their medians.</summary>
    public int Repeat { get; init; } = 1;
    public string? BotDll { get; init; }
    public TimeSpan TurnTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>How long each admin waits before each click; zero (the default) saturates the bot.</summary>
    public TimeSpan Think { get; init; }
    public TimeSpan RunLimit { get; init; } = TimeSpan.FromMinutes(8);
    /// <summary>Extra bot configuration, e.g. Logging__LogLevel__Default=Warning, to compare against the defaults.</summary>
    public IReadOnlyDictionary<string, string> BotEnvironment { get; init; } = new Dictionary<string, string>();
    public bool KeepData { get; init; }

    /// <summary>Measure the plumbing floor (<see cref="FloorBot"/>) instead of the bot.</summary>
    public bool Floor { get; init; }

    public const string Usage = """
        PastDueBot.LoadTest [options]
          --admins N            concurrent simulated admins (default 32)
          --conversations N     complete settle flows measured, one admin and conversation each (default 500)
          --warmup N            flows run before measuring, not counted (default 7500: a JIT-compiled bot settles)
          --auth on|off         channel tokens signed by the test's key and validated by the bot (default on)
          --storage sqlite|postgres
          --pg "<connstr>"      PostgreSQL connection string (with --storage postgres)
          --directory demo|graph  who the admins are: the embedded demo directory (default), or the bot's Microsoft
                                Graph directory against a loopback Graph (every admin a Billing Administrator) with
                                its app-only token from the run's Entra ID (needs --auth on)
          --inflight N          afterwards, leave N more conversations mid-flow and report peak memory (default 0)
          --repeat N            run the measured phase N times (new admins each time) and judge CPU per turn and p99
                                on their medians: CPU time on a shared VM varies by up to a fifth run to run (default 1)
          --bot <dll|exe>       the bot: a published PastDueBot.dll, or a Native AOT build's PastDueBot executable
                                (default bot/Host/bin/Release/net10.0/PastDueBot.dll under the repo)
          --think MS            each admin waits MS milliseconds before each click (default 0: saturate the bot);
                                a paced run shows turn latency without the queueing, for reference only
          --turn-timeout S      seconds a turn may take before it counts as an error (default 15)
          --limit S             the whole run stops after S seconds (default 480)
          --bot-env K=V         extra environment for the bot process (repeatable)
          --keep-data           keep the bot's temp data directory and log
          --floor               measure the plumbing floor instead of the bot: a server that only parses each
                                activity and posts one reply (no auth, state, dialog or card), same driver and process
                                settings, for what any bot pays on this machine before doing its own work
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var env = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--admins" => options with { Admins = Count() },
                "--conversations" => options with { Conversations = Count() },
                "--warmup" => options with { Warmup = Count() },
                "--auth" => options with { Auth = Next() switch { "on" => true, "off" => false, var v => throw new ArgumentException($"--auth {v}: use on or off.") } },
                "--storage" => options with { Storage = ParseStorage(Next()) },
                "--pg" => options with { PostgresConnection = Next() },
                "--directory" => options with { Directory = Next() switch { "demo" => "demo", "graph" => "graph", var v => throw new ArgumentException($"--directory {v}: use demo or graph.") } },
                "--inflight" => options with { InFlight = Count() },
                "--repeat" => options with { Repeat = Count() },
                "--bot" => options with { BotDll = Next() },
                "--think" => options with { Think = TimeSpan.FromMilliseconds(Count()) },
                "--turn-timeout" => options with { TurnTimeout = TimeSpan.FromSeconds(Count()) },
                "--limit" => options with { RunLimit = TimeSpan.FromSeconds(Count()) },
                "--keep-data" => options with { KeepData = true },
                "--floor" => options with { Floor = true },
                "--bot-env" => AddEnv(options, env, Next()),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        if (options.Admins < 1 || options.Conversations < 1 || options.Repeat < 1) throw new ArgumentException("--admins, --conversations and --repeat must be at least 1.");
        if (options.Directory == "graph" && !options.Auth)
            throw new ArgumentException("--directory graph needs --auth on: the Graph client's token comes from the run's Entra ID.");
        if (options.Storage == "postgres" && string.IsNullOrWhiteSpace(options.PostgresConnection))
            throw new ArgumentException("--storage postgres needs --pg \"<connection string>\".");
        return options;
    }

    private static string ParseStorage(string value) => value.ToLowerInvariant() switch
    {
        "sqlite" => "sqlite",
        "postgres" or "postgresql" => "postgres",
        _ => throw new ArgumentException("--storage: use sqlite or postgres."),
    };

    private static LoadOptions AddEnv(LoadOptions options, Dictionary<string, string> env, string pair)
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0) throw new ArgumentException("--bot-env takes KEY=VALUE.");
        env[pair[..at]] = pair[(at + 1)..];
        return options with { BotEnvironment = env };
    }
}
