using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PastDueBot.Benchmarks;

// "--cpu-time [filter]": process CPU time per operation (meaningful on a busy machine); otherwise BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--cpu-time")
{
    await CpuTimeRunner.RunAsync(args.Length > 1 ? args[1] : null);
    return;
}

// In-process: no generated project to restore (the repo uses central package versions), and quick enough for a
// 2-core machine. Pass BenchmarkDotNet's own options after "--", e.g. --filter '*Token*' or --job medium.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess-Short"))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
