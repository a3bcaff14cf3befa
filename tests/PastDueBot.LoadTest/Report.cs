using System.Globalization;
using System.Text;

namespace PastDueBot.LoadTest;

/// <summary>The table the run prints, and each target with PASS or MISS.</summary>
public static class Report
{
    public const double CpuPerTurnTargetMs = 0.5;
    public const double P99TargetMs = 20;
    public const long PeakMemoryTargetBytes = 150L * 1024 * 1024;
    public const int PeakMemoryTargetConversations = 10_000;
    public static readonly TimeSpan StartUpTarget = TimeSpan.FromSeconds(2);

    public static string Render(RunResult r, string botDll)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(Inv($"PastDueBot load test: auth {(o.Auth ? "on" : "off")}, storage {o.Storage}, directory {o.Directory}, {o.Admins} concurrent admins, {o.Conversations} conversations (+{o.Warmup} warm-up), in flight {o.InFlight}{(o.Think > TimeSpan.Zero ? Inv($", each admin thinking {o.Think.TotalMilliseconds:0} ms before each click") : "")}"));
        s.AppendLine(Inv($"machine: {Environment.ProcessorCount} cores, {ProcessStats.CpuModel()}, {ProcessStats.TotalMemory()} RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}"));
        s.AppendLine(Inv($"load average: {r.LoadBefore} before, {r.LoadAfter} after"));
        s.AppendLine(Inv($"bot: {botDll}"));
        s.AppendLine(Inv($"driver: tiered compilation delay {DriverTiering.Delay ?? "default"} ms ({DriverTiering.DelayVariable}; the bot runs with the runtime's default)"));
        s.AppendLine("turn latency = from the start of the POST to the bot until its HTTP response has been read AND every reply the");
        s.AppendLine("               next click needs (card, update, receipt) has reached the connector, whichever is later.");
        s.AppendLine();
        s.AppendLine(Inv($"start-up to first answered activity: {r.StartUp.TotalMilliseconds:0} ms"));
        s.AppendLine();
        s.AppendLine("phase       flows ok/failed   turns   turns/s   p50 ms   p90 ms   p99 ms   max ms   http p99   errors");
        foreach (var phase in new[] { r.Warmup, r.Measured }.Concat(r.Repeats.Select(x => x.Turns)).Append(r.InFlight).OfType<TurnRecorder>())
        {
            var l = phase.Latency();
            var h = phase.HttpLatency();
            s.AppendLine(Inv($"{phase.Name,-10} {phase.FlowsCompleted,8}/{phase.FlowsFailed,-6} {phase.Turns,7} {phase.TurnsPerSecond,9:0} {l.P50,8:0.0} {l.P90,8:0.0} {l.P99,8:0.0} {l.Max,8:0.0} {h.P99,10:0.0} {phase.Errors,8}"));
        }
        s.AppendLine(Inv($"measured, by step (p50 / p99 ms): {string.Join(", ", r.Measured.LatencyByStep().Select(x => Inv($"{x.Step} {x.Latency.P50:0.0} / {x.Latency.P99:0.0}")))}"));
        s.AppendLine();

        var turns = r.Measured.Turns;
        var cpuPerTurn = turns == 0 ? double.NaN : r.MeasuredCpu.Total.TotalMilliseconds / turns;
        s.AppendLine(Inv($"bot CPU in the measured phase: {r.MeasuredCpu.User.TotalSeconds:0.00} s user + {r.MeasuredCpu.System.TotalSeconds:0.00} s system over {turns} turns = {cpuPerTurn:0.000} ms per turn ({r.MeasuredCpu.Total.TotalSeconds / Math.Max(r.Measured.Elapsed.TotalSeconds, 1e-9):0.00} cores busy); {r.MeasuredCpu.MinorFaults / (double)Math.Max(turns, 1):0.0} page faults per turn"));
        if (turns > 0 && r.DriverCpu.Total > TimeSpan.Zero)
        {
            // Teams and the connector are this process, on the same two cores: what it takes, the bot cannot have.
            s.AppendLine(Inv($"driver CPU in the measured phase (Teams' side: activities, connector, cards read): {r.DriverCpu.Total.TotalMilliseconds / turns:0.000} ms per turn ({r.DriverCpu.Total.TotalSeconds / Math.Max(r.Measured.Elapsed.TotalSeconds, 1e-9):0.00} cores busy)"));
        }
        var cpuPerPhase = new[] { cpuPerTurn }.Concat(r.Repeats.Select(x => x.Turns.Turns == 0 ? double.NaN : x.Cpu.Total.TotalMilliseconds / x.Turns.Turns)).ToList();
        var faultsPerPhase = new[] { (Cpu: r.MeasuredCpu, Turns: turns) }.Concat(r.Repeats.Select(x => (x.Cpu, x.Turns.Turns))).Select(x => x.Cpu.MinorFaults / (double)Math.Max(x.Turns, 1)).ToList();
        var p99PerPhase = new[] { r.Measured }.Concat(r.Repeats.Select(x => x.Turns)).Select(x => x.Latency().P99).ToList();
        if (r.Repeats.Count > 0)
        {
            s.AppendLine(Inv($"bot CPU per turn in the {cpuPerPhase.Count} measured phases: {string.Join(" / ", cpuPerPhase.Select(x => Inv($"{x:0.000}")))} ms, median {Median(cpuPerPhase):0.000} ms; p99 median {Median(p99PerPhase):0.0} ms; page faults per turn {string.Join(" / ", faultsPerPhase.Select(x => Inv($"{x:0.0}")))}"));
        }
        if (r.MeasuredCounters is { } counted && turns > 0)
        {
            s.AppendLine(Inv($"bot allocations in the measured phase (runtime counters): {counted.AllocatedBytes / turns / 1024:0.0} KB per turn; garbage collections gen0 {counted.Gen0:0} / gen1 {counted.Gen1:0} / gen2 {counted.Gen2:0}"));
            if (counted.Pauses.Count > 0)
            {
                s.AppendLine(Inv($"bot GC pauses in the measured phase: {counted.Pauses.Count}, {counted.Pauses.TotalMs:0.0} ms in all ({100 * counted.Pauses.TotalMs / Math.Max(r.Measured.Elapsed.TotalMilliseconds, 1e-9):0.0}% of the phase), longest {counted.Pauses.LongestMs:0.0} ms"));
            }
            var exposures = new[] { r.Measured }.Concat(r.Repeats.Select(x => x.Turns)).Select(x => x.Exposure(r.AllPauses)).ToList();
            if (exposures.All(x => x is not null))
            {
                // Every turn in flight waits out a pause: the tail with and without them says how much of p99 they are.
                s.AppendLine(Inv($"turns a GC pause fell within, per measured phase: {string.Join(" / ", exposures.Select(x => Inv($"{100 * x!.TouchedShare:0}%")))}; their p99 {string.Join(" / ", exposures.Select(x => Inv($"{x!.Touched.P99:0.0}")))} ms, the other turns' p99 {string.Join(" / ", exposures.Select(x => Inv($"{x!.Others.P99:0.0}")))} ms"));
                s.AppendLine(Inv($"GC pauses per measured phase, by generation collected: {string.Join(" / ", exposures.Select(x => x!.Pauses.ByGeneration()))}"));
            }
            if (counted.SqliteLeases > 0)
            {
                s.AppendLine(Inv($"bot SQLite connection in the measured phase: {counted.SqliteLeases / turns:0.0} leases per turn, {100 * counted.SqliteLeaseWaits / counted.SqliteLeases:0}% found it taken and waited {counted.SqliteWaitMs / Math.Max(counted.SqliteLeaseWaits, 1):0.00} ms on average; held {1000 * counted.SqliteHoldMs / counted.SqliteLeases:0} µs per lease, {100 * counted.SqliteHoldMs / Math.Max(r.Measured.Elapsed.TotalMilliseconds, 1e-9):0}% of the phase"));
            }
        }
        if (r.Warmup.Turns > 0)
            s.AppendLine(Inv($"bot CPU in the warm-up phase (JIT still compiling the hot path): {r.WarmupCpu.Total.TotalMilliseconds / r.Warmup.Turns:0.000} ms per turn"));
        if (r.InFlightCpu is { } firstCpu && r.InFlight is { Turns: > 0 } first)
            s.AppendLine(Inv($"bot CPU in the in-flight phase (first contacts only: demo ledger seeded, dialog started): {firstCpu.Total.TotalMilliseconds / first.Turns:0.000} ms per turn"));
        s.AppendLine(Inv($"bot memory: peak (VmHWM) {Mb(r.PeakMemoryAfterMeasured)} after the measured phase{(r.Repeats.Count > 0 ? "s" : "")}{(r.PeakMemoryWithInFlight is { } p ? Inv($", {Mb(p)} with {o.InFlight} conversations in flight") : "")}; RSS at the end {Mb(r.CurrentMemoryAtEnd)}; {r.ThreadsAtEnd} threads"));
        if (r.MemoryBreakdown.Length > 0) s.AppendLine(Inv($"bot memory at the end: {r.MemoryBreakdown}"));
        if (o.Auth)
        {
            s.AppendLine(Inv($"authentication: channel metadata fetched {r.ChannelMetadataRequests}x, outbound token requests to Entra ID {r.EntraTokenRequests}, connector calls refused {r.ConnectorRejected}"));
            if (r.GraphRequests is not null)
                s.AppendLine(Inv($"directory: Microsoft Graph (loopback), {r.GraphRequests} requests, {r.GraphRefused} refused for want of a token Entra ID issued"));
        }
        if (r.ConnectorUnexpected > 0) s.AppendLine(Inv($"connector: {r.ConnectorUnexpected} requests to routes the Bot Connector does not have"));
        foreach (var phase in new[] { r.Warmup, r.Measured }.Concat(r.Repeats.Select(x => x.Turns)).Append(r.InFlight).OfType<TurnRecorder>())
        {
            foreach (var sample in phase.ErrorSamples) s.AppendLine(Inv($"error ({phase.Name}) {sample}"));
        }
        if (r.StoppedByLimit) s.AppendLine(Inv($"STOPPED by the {o.RunLimit.TotalSeconds:0} s run limit: figures are partial."));
        s.AppendLine(Inv($"bot log: {r.BotLog}"));
        s.AppendLine();

        var targetConfig = o.Auth && o.Storage == "sqlite" && o.Directory == "demo" && o.Admins == 32 && o.Conversations >= 500 && o.Think == TimeSpan.Zero;
        s.AppendLine(targetConfig
            ? "targets (2 cores, 32 admins, 500 conversations, SQLite, authentication on):"
            : "targets (defined for 2 cores, 32 admins, 500 conversations, SQLite, authentication on; this run differs, so for reference only):");
        var cpu = Median(cpuPerPhase);
        var p99 = Median(p99PerPhase);
        var ofPhases = r.Repeats.Count > 0 ? Inv($" (median of {cpuPerPhase.Count})") : "";
        Target(s, Inv($"bot CPU per turn <= {CpuPerTurnTargetMs} ms"), Inv($"{cpu:0.000} ms{ofPhases}"), cpu <= CpuPerTurnTargetMs);
        Target(s, Inv($"p99 turn latency < {P99TargetMs} ms"), Inv($"{p99:0.0} ms{ofPhases}"), p99 < P99TargetMs);
        var allDone = r.Measured.FlowsCompleted == o.Conversations && r.Repeats.All(x => x.Turns.FlowsCompleted == o.Conversations);
        var noErrors = Errors(r) == 0 && r.ConnectorRejected == 0 && r.ConnectorUnexpected == 0;
        Target(s, "no errors, every flow completed", Inv($"{r.Measured.FlowsCompleted}/{o.Conversations} flows, {r.Measured.Errors} errors"), allDone && noErrors);
        if (r.PeakMemoryWithInFlight is { } peak && o.InFlight >= PeakMemoryTargetConversations)
            Target(s, Inv($"peak memory < {Mb(PeakMemoryTargetBytes)} with {PeakMemoryTargetConversations} in flight"),
                r.InFlight!.FlowsCompleted < o.InFlight ? Inv($"{Mb(peak)} at {r.InFlight.FlowsCompleted}") : Mb(peak),
                peak < PeakMemoryTargetBytes);
        else
            s.AppendLine(Inv($"  {"peak memory < 150 MB with 10000 in flight",-48} {"not measured (--inflight 10000)",-24}"));
        Target(s, Inv($"start-up to first answer < {StartUpTarget.TotalSeconds:0} s"), Inv($"{r.StartUp.TotalMilliseconds:0} ms"), r.StartUp < StartUpTarget);
        return s.ToString();
    }

    public static bool Failed(RunResult r) =>
        r.StoppedByLimit || r.Measured.FlowsCompleted != r.Options.Conversations
        || r.Repeats.Count != r.Options.Repeat - 1 || r.Repeats.Any(x => x.Turns.FlowsCompleted != r.Options.Conversations)
        || Errors(r) > 0 || r.ConnectorRejected > 0 || r.GraphRefused > 0;

    private static long Errors(RunResult r) =>
        r.Warmup.Errors + r.Measured.Errors + r.Repeats.Sum(x => x.Turns.Errors) + (r.InFlight?.Errors ?? 0);

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Target(StringBuilder s, string name, string value, bool pass) =>
        s.AppendLine(Inv($"  {name,-48} {value,-24} {(pass ? "PASS" : "MISS")}"));

    private static string Mb(long bytes) => Inv($"{bytes / (1024.0 * 1024.0):0.0} MB");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
