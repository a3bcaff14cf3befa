using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PastDueBot.LoadTest;

/// <summary>
/// The driver plays Teams on the same two cores as the bot, so every millisecond of its own CPU is one the bot does
/// not get. Under unbroken load the runtime keeps putting off the driver's final tier of compilation: each method
/// called for the first time restarts a 100 ms delay, during which calls are not even counted. So after the warm-up
/// the driver was still running instrumented and unoptimised code, and took 0.156 ms of CPU a turn in the first
/// measured phase instead of 0.084 ms, throughput rising phase by phase as it settled. The delay is read only from
/// the environment (<see cref="DelayVariable"/>), so the driver starts itself again with it set to 0.
/// The bot never inherits it (<see cref="BotProcess"/> removes it): it runs with the runtime's defaults, as deployed.
/// </summary>
public static class DriverTiering
{
    public const string DelayVariable = "DOTNET_TC_CallCountingDelayMs";

    /// <summary>The delay this driver runs with, as set in its environment (null: the runtime's default).</summary>
    public static string? Delay => Environment.GetEnvironmentVariable(DelayVariable);

    /// <summary>
    /// Null when this process already runs with the delay set (by the relaunch, or by whoever started it: that
    /// value is kept); otherwise runs the driver again with the delay at 0 and returns its exit code.
    /// </summary>
    public static async Task<int?> RelaunchUnlessSetAsync(string[] args)
    {
        if (Delay is not null || Environment.ProcessPath is not { } host) return null;

        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        // Under `dotnet PastDueBot.LoadTest.dll` the host is dotnet and the assembly comes first; an apphost is the driver itself.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(DriverTiering).Assembly.Location);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment[DelayVariable] = "0";

        using var driver = Process.Start(info) ?? throw new InvalidOperationException($"{host} could not be started.");
        // Ctrl+C reaches the relaunched driver from the terminal, and it stops its own run; a SIGTERM sent to this
        // process alone is passed on, so nothing is left running.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            try
            {
                driver.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has already exited.
            }
        });
        await driver.WaitForExitAsync();
        return driver.ExitCode;
    }
}
