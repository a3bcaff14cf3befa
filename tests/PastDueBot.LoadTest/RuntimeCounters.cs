using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace PastDueBot.LoadTest;

/// <summary>
/// Running totals from the bot's counters: bytes allocated and garbage collections (System.Runtime), and the leases
/// of its SQLite connection (PastDueBot-Sqlite: how many, how many waited, milliseconds waited and held).
/// </summary>
public readonly record struct CounterSample(
    double AllocatedBytes, double Gen0, double Gen1, double Gen2,
    double SqliteLeases, double SqliteLeaseWaits, double SqliteWaitMs, double SqliteHoldMs,
    GcPauses Pauses = default)
{
    public static CounterSample operator -(CounterSample a, CounterSample b) =>
        new(a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2,
            a.SqliteLeases - b.SqliteLeases, a.SqliteLeaseWaits - b.SqliteLeaseWaits, a.SqliteWaitMs - b.SqliteWaitMs, a.SqliteHoldMs - b.SqliteHoldMs,
            a.Pauses - b.Pauses);
}

/// <summary>
/// One stop-the-world GC pause of the bot, from suspending its threads to resuming them, in <see cref="Stopwatch"/>
/// ticks. EventPipe stamps events with the runtime's high-resolution clock, which on Linux is CLOCK_MONOTONIC in
/// nanoseconds, as is Stopwatch's: so a pause compares directly with the driver's turns.
/// </summary>
public readonly record struct GcPause(long StartedAt, long EndedAt, int Generation)
{
    public double Ms => (EndedAt - StartedAt) * 1000.0 / Stopwatch.Frequency;

    public bool Overlaps(long start, long end) => StartedAt < end && EndedAt > start;
}

/// <summary>
/// The bot's GC pauses: how many, their total, and the longest since the run began. Every turn in flight waits out
/// each one.
/// </summary>
public readonly record struct GcPauses(IReadOnlyList<GcPause>? Items)
{
    /// <summary>The pauses after <paramref name="b"/>'s, so a phase's own.</summary>
    public static GcPauses operator -(GcPauses a, GcPauses b) => new(a.Items?.Skip(b.Count).ToList());

    public int Count => Items?.Count ?? 0;

    public double TotalMs => Items?.Sum(p => p.Ms) ?? 0;

    public double LongestMs => Count > 0 ? Items!.Max(p => p.Ms) : 0;

    /// <summary>
    /// Per generation collected: how many pauses and the longest, e.g. "gen0 5 (longest 4.1 ms), gen1 1 (longest 9.8 ms)";
    /// "other" for a pause that collected nothing itself (a background collection's own suspensions).
    /// </summary>
    public string ByGeneration() => Count == 0
        ? "none"
        : string.Join(", ", Items!.GroupBy(p => p.Generation).OrderBy(g => g.Key)
            .Select(g => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{(g.Key < 0 ? "other" : $"gen{g.Key}")} {g.Count()} (longest {g.Max(p => p.Ms):0.0} ms)")));
}

/// <summary>
/// The bot's counters (System.Runtime: alloc-rate, gen-N-gc-count; PastDueBot-Sqlite) over the diagnostics port, the way
/// dotnet-counters reads them. Unlike CPU time on a shared VM, bytes allocated per turn repeat from run to run, so
/// they show what a change to the hot path did. Totals are summed from 1-second increments: a phase's figure is
/// exact to about one second's worth of allocations at each end.
/// </summary>
public sealed class RuntimeCounters : IDisposable
{
    /// <summary>The bot's SQLite connection counters (PastDueBot.Storage.Sql.SqliteConnectionEvents).</summary>
    private const string SqliteCountersSource = "PastDueBot-Sqlite";

    private readonly EventPipeSession _session;
    private readonly Task _reader;
    private readonly Lock _gate = new();
    private CounterSample _total;
    private int _intervals;
    private readonly List<GcPause> _pauses = [];
    private long? _suspendedAt;
    private int _collecting = -1;

    private RuntimeCounters(EventPipeSession session)
    {
        _session = session;
        _reader = Task.Run(Read);
    }

    /// <summary>Attaches to the bot; null (with the reason on stderr) when its diagnostics port cannot be reached.</summary>
    public static RuntimeCounters? TryAttach(int pid)
    {
        try
        {
            var interval = new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" };
            EventPipeProvider[] providers =
            [
                new("System.Runtime", EventLevel.Informational, (long)EventKeywords.None, interval),
                new(SqliteCountersSource, EventLevel.Informational, (long)EventKeywords.None, interval),
                // GC events only (keyword 0x1): a few per collection, for the pauses.
                new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 0x1),
            ];
            var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
            return new RuntimeCounters(session);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or DiagnosticsClientException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"runtime counters unavailable ({ex.GetType().Name}: {ex.Message}); allocations are not reported");
            return null;
        }
    }

    /// <summary>Totals so far, once at least one interval has been published (null before).</summary>
    public CounterSample? Sample()
    {
        lock (_gate) return _intervals == 0 ? null : _total with { Pauses = new GcPauses(_pauses.ToList()) };
    }

    // TraceEvent discourages raw QPC stamps because their unit differs by platform; on Linux, which this test reads
    // /proc on, they are CLOCK_MONOTONIC nanoseconds like Stopwatch's, and relative times could not be set against turns.
#pragma warning disable CS0618
    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += OnEvent;
        source.Clr.GCSuspendEEStart += data =>
        {
            lock (_gate)
            {
                _suspendedAt = data.TimeStampQPC;
                _collecting = -1;
            }
        };
        // Fired within the pause: the deepest generation it collects (a pause with none is not a collection's).
        source.Clr.GCStart += data =>
        {
            lock (_gate) _collecting = Math.Max(_collecting, data.Depth);
        };
        source.Clr.GCRestartEEStop += data =>
        {
            lock (_gate)
            {
                if (_suspendedAt is not { } suspended) return;
                _pauses.Add(new GcPause(suspended, data.TimeStampQPC, _collecting));
                _suspendedAt = null;
            }
        };
        try
        {
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException or FormatException)
        {
            // The bot exited or the session was stopped: the totals so far stand.
        }
    }

#pragma warning restore CS0618

    private void OnEvent(TraceEvent data)
    {
        if (data.EventName != "EventCounters") return;
        if (data.PayloadValue(0) is not IDictionary<string, object> outer || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload) return;
        if (!payload.TryGetValue("Name", out var named) || named is not string name || !payload.TryGetValue("Increment", out var value)) return;
        var increment = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _total = name switch
            {
                "alloc-rate" => _total with { AllocatedBytes = _total.AllocatedBytes + increment },
                "gen-0-gc-count" => _total with { Gen0 = _total.Gen0 + increment },
                "gen-1-gc-count" => _total with { Gen1 = _total.Gen1 + increment },
                "gen-2-gc-count" => _total with { Gen2 = _total.Gen2 + increment },
                "sqlite-leases" => _total with { SqliteLeases = _total.SqliteLeases + increment },
                "sqlite-lease-waits" => _total with { SqliteLeaseWaits = _total.SqliteLeaseWaits + increment },
                "sqlite-wait-ms" => _total with { SqliteWaitMs = _total.SqliteWaitMs + increment },
                "sqlite-hold-ms" => _total with { SqliteHoldMs = _total.SqliteHoldMs + increment },
                _ => _total,
            };
            if (name == "alloc-rate") _intervals++;
        }
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The bot is gone already.
        }
        _reader.Wait(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }
}
