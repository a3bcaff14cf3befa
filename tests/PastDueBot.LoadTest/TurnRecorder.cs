using System.Collections.Concurrent;
using System.Diagnostics;

namespace PastDueBot.LoadTest;

/// <summary>Latencies, errors and flow outcomes of one phase of the run.</summary>
public sealed class TurnRecorder(string name)
{
    private readonly ConcurrentQueue<(long Start, long End)> _spans = new();
    private readonly ConcurrentQueue<double> _httpLatencies = new();
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _byStep = new(StringComparer.Ordinal);
    private long _errors;
    private long _completed;
    private long _failed;
    private long _startedAt;
    private long _stoppedAt;

    public string Name { get; } = name;

    public long Errors => Interlocked.Read(ref _errors);
    public long FlowsCompleted => Interlocked.Read(ref _completed);
    public long FlowsFailed => Interlocked.Read(ref _failed);
    public int Turns => _spans.Count;
    public IReadOnlyCollection<string> ErrorSamples => _errorSamples;
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startedAt, _stoppedAt == 0 ? Stopwatch.GetTimestamp() : _stoppedAt);
    public double TurnsPerSecond => Turns / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public void Start() => _startedAt = Stopwatch.GetTimestamp();

    public void Stop() => _stoppedAt = Stopwatch.GetTimestamp();

    public void Turn(string step, long startedAt, long httpCompletedAt, long repliesArrivedAt)
    {
        var endedAt = Math.Max(httpCompletedAt, repliesArrivedAt);
        var latency = Stopwatch.GetElapsedTime(startedAt, endedAt).TotalMilliseconds;
        _spans.Enqueue((startedAt, endedAt));
        _httpLatencies.Enqueue(Stopwatch.GetElapsedTime(startedAt, httpCompletedAt).TotalMilliseconds);
        _byStep.GetOrAdd(step, _ => new ConcurrentQueue<double>()).Enqueue(latency);
    }

    /// <summary>Latency of each step of the flow ("settle", "subscription", … "save"), in the order first seen.</summary>
    public IEnumerable<(string Step, Percentiles Latency)> LatencyByStep() =>
        _byStep.Select(s => (s.Key, Percentiles.Of(s.Value)));

    public void Error(string step, string message)
    {
        Interlocked.Increment(ref _errors);
        if (_errorSamples.Count < 10) _errorSamples.Enqueue($"{step}: {message}");
    }

    public void Flow(bool completed) => Interlocked.Increment(ref completed ? ref _completed : ref _failed);

    public Percentiles Latency() => Percentiles.Of(_spans.Select(s => Stopwatch.GetElapsedTime(s.Start, s.End).TotalMilliseconds));

    public Percentiles HttpLatency() => Percentiles.Of(_httpLatencies);

    /// <summary>
    /// The turns of this phase that a GC pause of the bot fell within, against the rest: how much of the tail the
    /// pauses make. Null when no pause fell within the phase.
    /// </summary>
    public GcExposure? Exposure(GcPauses pauses)
    {
        var ended = _stoppedAt == 0 ? Stopwatch.GetTimestamp() : _stoppedAt;
        var within = (pauses.Items ?? []).Where(p => p.Overlaps(_startedAt, ended)).ToArray();
        if (within.Length == 0) return null;
        var touched = new List<double>();
        var untouched = new List<double>();
        foreach (var (start, end) in _spans)
        {
            var latency = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
            (within.Any(p => p.Overlaps(start, end)) ? touched : untouched).Add(latency);
        }
        return new GcExposure(touched.Count, _spans.Count, Percentiles.Of(touched), Percentiles.Of(untouched), new GcPauses(within));
    }
}

/// <summary>
/// Turns that a GC pause fell within (<see cref="Touched"/>) and those it did not (<see cref="Others"/>), and the
/// pauses themselves.
/// </summary>
public sealed record GcExposure(int TouchedTurns, int Turns, Percentiles Touched, Percentiles Others, GcPauses Pauses)
{
    public double TouchedShare => TouchedTurns / (double)Math.Max(Turns, 1);
}

public sealed record Percentiles(double P50, double P90, double P99, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(At(0.50), At(0.90), At(0.99), sorted[^1], sorted.Average());
    }
}
