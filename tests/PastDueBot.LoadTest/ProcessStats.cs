using System.Globalization;
using System.Runtime.InteropServices;

namespace PastDueBot.LoadTest;

/// <summary>
/// CPU time (user + system, all threads) and minor page faults of a process, from Linux's /proc. Minor faults count
/// pages the process touched for the first time since they were mapped, such as the GC's heap after it gave pages back.
/// </summary>
public readonly record struct CpuSample(TimeSpan User, TimeSpan System, long MinorFaults)
{
    public TimeSpan Total => User + System;

    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.User - b.User, a.System - b.System, a.MinorFaults - b.MinorFaults);
}

public static partial class ProcessStats
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK on Linux

    private static readonly long TicksPerSecond = ReadClockTicks();

    /// <summary>utime + stime (fields 14 and 15 of /proc/&lt;pid&gt;/stat, clock ticks converted to time) and minflt (field 10).</summary>
    public static CpuSample Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; the fields after its closing parenthesis start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        var minorFaults = long.Parse(fields[10 - 3], CultureInfo.InvariantCulture);
        return new CpuSample(FromTicks(user), FromTicks(system), minorFaults);
    }

    /// <summary>A "Vm…" line of /proc/&lt;pid&gt;/status in bytes (VmHWM: peak resident set; VmRSS: current).</summary>
    public static long Memory(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(value, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }

    /// <summary>Where the resident memory is (smaps_rollup): anonymous (heaps, GC, native caches) versus mapped files (code).</summary>
    public static string MemoryBreakdown(int pid)
    {
        var path = $"/proc/{pid}/smaps_rollup";
        if (!File.Exists(path)) return "";
        var values = File.ReadLines(path)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith("kB", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0);
        double Get(string key) => values.TryGetValue(key, out var v) ? v : 0;
        return string.Create(CultureInfo.InvariantCulture, $"RSS {Get("Rss"):0.0} MB = anonymous {Get("Anonymous"):0.0} MB + file-backed {Get("Rss") - Get("Anonymous"):0.0} MB");
    }

    public static int Threads(int pid) => (int)(Memory(pid, "Threads") / 1024);

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    public static string TotalMemory() =>
        File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static TimeSpan FromTicks(long ticks) => TimeSpan.FromTicks(ticks * TimeSpan.TicksPerSecond / TicksPerSecond);

    private static long ReadClockTicks()
    {
        try
        {
            var ticks = SysConf(ScClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
