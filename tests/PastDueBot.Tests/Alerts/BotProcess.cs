using System.Diagnostics;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// The bot as a real process (<c>dotnet PastDueBot.dll</c> from the host project's output in the tests'
/// configuration), configured on the command line, its output drained so it never blocks on a full pipe.
/// </summary>
public sealed class BotProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private BotProcess(Process process) => _process = process;

    public static BotProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // …/bin/{Configuration}/net10.0/
        var dll = RepoPaths.Combine("bot", "Host", "bin", configuration, "net10.0", "PastDueBot.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"Build the host first: {dll} is missing.");

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        var process = new Process { StartInfo = info };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, e) => bot.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>SIGKILL: no shutdown code runs, as when a machine or container dies.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
