using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// How busy the shared SQLite connection is, as event counters (<c>dotnet-counters monitor -p &lt;pid&gt;
/// --counters PastDueBot-Sqlite</c>): leases taken, how many found the connection taken and waited, and the time
/// spent waiting and holding. The connection serialises every statement of the process, so when its held time
/// approaches the elapsed time, turns queue for it, and that is the sign to move to PostgreSQL. The totals are the
/// process's: every <see cref="SqliteDatabase"/> in it counts here (the bot opens one).
/// </summary>
[EventSource(Name = SourceName)]
public sealed class SqliteConnectionEvents : EventSource
{
    public const string SourceName = "PastDueBot-Sqlite";

    public static readonly SqliteConnectionEvents Log = new();

    private long _leases;
    private long _waits;
    private long _waitTicks;
    private long _holdTicks;
    private IncrementingPollingCounter[]? _counters;

    private SqliteConnectionEvents()
    {
    }

    /// <summary>Running totals since the process started.</summary>
    public SqliteConnectionTotals Totals() => new(
        Interlocked.Read(ref _leases), Interlocked.Read(ref _waits),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _holdTicks)));

    /// <summary>A lease was granted after <paramref name="requestedAt"/> (a <see cref="Stopwatch"/> timestamp); returns the grant time.</summary>
    [NonEvent]
    internal long Granted(long requestedAt, bool waited)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _leases);
        if (waited)
        {
            Interlocked.Increment(ref _waits);
            Interlocked.Add(ref _waitTicks, now - requestedAt);
        }
        return now;
    }

    /// <summary>A lease granted at <paramref name="grantedAt"/> was let go.</summary>
    [NonEvent]
    internal void Released(long grantedAt) => Interlocked.Add(ref _holdTicks, Stopwatch.GetTimestamp() - grantedAt);

    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command != EventCommand.Enable || _counters is not null) return;
        _counters =
        [
            new IncrementingPollingCounter("sqlite-leases", this, () => Interlocked.Read(ref _leases)) { DisplayName = "Connection leases" },
            new IncrementingPollingCounter("sqlite-lease-waits", this, () => Interlocked.Read(ref _waits)) { DisplayName = "Leases that waited for the connection" },
            new IncrementingPollingCounter("sqlite-wait-ms", this, () => Totals().Waiting.TotalMilliseconds) { DisplayName = "Time waiting for the connection", DisplayUnits = "ms" },
            new IncrementingPollingCounter("sqlite-hold-ms", this, () => Totals().Holding.TotalMilliseconds) { DisplayName = "Time the connection was held", DisplayUnits = "ms" },
        ];
    }
}

/// <summary>Totals of <see cref="SqliteConnectionEvents"/>.</summary>
public readonly record struct SqliteConnectionTotals(long Leases, long Waits, TimeSpan Waiting, TimeSpan Holding);
