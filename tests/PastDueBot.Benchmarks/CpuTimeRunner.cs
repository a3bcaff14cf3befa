using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace PastDueBot.Benchmarks;

/// <summary>
/// The same benchmarks measured in process CPU time instead of wall-clock time (<c>-- --cpu-time</c>). On a shared,
/// overloaded machine BenchmarkDotNet's wall-clock figures include the time the benchmark waited for a core; CPU time
/// (user + system of the whole process, so JIT and GC threads count too) does not.
/// </summary>
public static class CpuTimeRunner
{
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string? filter)
    {
        Console.WriteLine("benchmark                                             params     CPU us/op   wall us/op   alloc B/op      ops");
        foreach (var type in typeof(CpuTimeRunner).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)).OrderBy(t => t.Name))
        {
            var param = type.GetProperties().SingleOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
            var values = param?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
            foreach (var value in values)
            {
                var instance = Activator.CreateInstance(type)!;
                param?.SetValue(instance, value);
                await InvokeAsync(instance, type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null));
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    var name = method.GetCustomAttribute<BenchmarkAttribute>()!.Description ?? method.Name;
                    if (filter is not null && !$"{type.Name}.{method.Name} {name}".Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                    await RunOneAsync(instance, method, TimeSpan.MaxValue, Warmup);
                    var (cpu, wall, allocated, ops) = await RunOneAsync(instance, method, Measure, TimeSpan.MaxValue);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-53} {value?.ToString() ?? "",-8} {cpu.TotalMicroseconds / ops,11:0.0} {wall.TotalMicroseconds / ops,12:0.0} {allocated / (double)ops,12:0} {ops,8}"));
                }
                await InvokeAsync(instance, type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null));
            }
        }
    }

    private static async Task<(TimeSpan Cpu, TimeSpan Wall, long Allocated, long Ops)> RunOneAsync(object instance, MethodInfo method, TimeSpan cpuBudget, TimeSpan warmupBudget)
    {
        var budget = cpuBudget == TimeSpan.MaxValue ? warmupBudget : cpuBudget;
        var cpuStart = Environment.CpuUsage.TotalTime;
        var allocatedStart = GC.GetTotalAllocatedBytes();
        var wall = Stopwatch.StartNew();
        long ops = 0;
        TimeSpan cpu;
        do
        {
            for (var i = 0; i < 16; i++) await InvokeAsync(instance, method);
            ops += 16;
            cpu = Environment.CpuUsage.TotalTime - cpuStart;
        } while (cpu < budget);
        return (cpu, wall.Elapsed, GC.GetTotalAllocatedBytes() - allocatedStart, ops);
    }

    private static async Task InvokeAsync(object instance, MethodInfo? method)
    {
        if (method?.Invoke(instance, null) is Task task) await task;
    }
}
