using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// The real bot as a child process (<c>dotnet PastDueBot.dll</c>, the Host's build output), configured through the
/// environment only, as an operator would: loopback URL with an OS-chosen port, no app id (anonymous), no connector
/// retries, plus the test's settings (storage, alerts, log levels ...). Its output is kept (for failure messages and
/// log assertions). <see cref="KillAsync"/> ends it as SIGKILL does: no shutdown hooks, no flush.
/// </summary>
public sealed partial class BotProcess : IChatEndpoint, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private BotProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress, LoopbackConnector connector)
    {
        _process = process;
        _output = output;
        MessagesEndpoint = new Uri(baseAddress, "/api/messages");
        BaseAddress = baseAddress;
        Connector = connector;
        ProcessId = process.Id;
    }

    public Uri BaseAddress { get; }

    public Uri MessagesEndpoint { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public LoopbackConnector Connector { get; }

    /// <summary>The operating system's id of the process (the bot names its leases and outbox claims with it).</summary>
    public int ProcessId { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far (its structured logs).</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>Starts the bot on the SQLite file <paramref name="databasePath"/> (working in its folder) and waits until it listens.</summary>
    public static Task<BotProcess> StartAsync(string databasePath, LoopbackConnector connector, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = databasePath };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return StartAsync(connector, all, Path.GetDirectoryName(databasePath));
    }

    /// <summary>
    /// Starts the bot with <paramref name="settings"/> (configuration keys with ':'; they win over the defaults above)
    /// and waits until it listens. The start-up line is read from the log, so the lifetime category always logs.
    /// </summary>
    public static async Task<BotProcess> StartAsync(LoopbackConnector connector, IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostAssembly);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Microsoft", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["urls"] = "http://127.0.0.1:0";
        start.Environment["MicrosoftAppId"] = "";
        start.Environment["Connector__MaxRetries"] = "0";
        foreach (var (key, value) in settings) start.Environment[EnvironmentName(key)] = value;
        start.Environment[EnvironmentName("Logging:LogLevel:Microsoft.Hosting.Lifetime")] = "Information";

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The bot process exited during start-up."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var address = await listening.Task.WaitAsync(StartTimeout);
            return new BotProcess(process, output, address, connector);
        }
        catch (Exception ex)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
            throw new InvalidOperationException($"The bot did not start: {ex.Message}\n{string.Join("\n", output)}", ex);
        }

        void OnLine(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            if (ListeningRegex().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Kills the process and its children at once (SIGKILL on Linux) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>
    /// PastDueBot.dll next to the tests when the build copied the Host's runtime config there, else the Host
    /// project's own output for the same configuration and framework.
    /// </summary>
    private static string HostAssembly
    {
        get
        {
            var here = AppContext.BaseDirectory;
            if (File.Exists(Path.Combine(here, "PastDueBot.runtimeconfig.json"))) return Path.Combine(here, "PastDueBot.dll");
            var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var path = Support.RepoPaths.Combine("bot", "Host", "bin", configuration, framework, "PastDueBot.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build bot/Host first.", path);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningRegex();
}
