using System.Diagnostics;

namespace PastDueBot.LoadTest;

/// <summary>
/// The bot as its own process (<c>dotnet PastDueBot.dll</c>) on a loopback port, its embedded defaults in a temp
/// data directory, configured only through environment variables. Its console output goes to a log file there.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private BotProcess(Process process, StreamWriter log, Uri endpoint, string dataDirectory, long startedAt)
    {
        _process = process;
        _log = log;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        StartedAt = startedAt;
    }

    public Uri Endpoint { get; }

    public string DataDirectory { get; }

    public string LogPath => Path.Combine(DataDirectory, "bot.log");

    public int Pid => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    public static BotProcess Start(string botDll, int port, IReadOnlyDictionary<string, string> environment)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pastduebot-load-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        // A framework-dependent build is started with dotnet; a Native AOT build is its own executable.
        var native = !botDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(native ? botDll : "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!native) info.ArgumentList.Add(botDll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // The content root is the data directory, so the embedded default SQLite path (data/pastduebot.db) lands there.
        info.Environment["ASPNETCORE_CONTENTROOT"] = dataDirectory;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The driver's tiering setting is its own (DriverTiering): the process under test runs with the runtime's defaults.
        info.Environment.Remove(DriverTiering.DelayVariable);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var log = new StreamWriter(Path.Combine(dataDirectory, "bot.log")) { AutoFlush = false };
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} could not be started.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BotProcess(process, log, new Uri($"http://127.0.0.1:{port}/api/messages"), dataDirectory, startedAt);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    public CpuSample Cpu() => ProcessStats.Cpu(Pid);

    public long PeakMemory() => ProcessStats.Memory(Pid, "VmHWM");

    public long CurrentMemory() => ProcessStats.Memory(Pid, "VmRSS");

    /// <summary>The last lines the bot wrote, for a failure message.</summary>
    public string Tail(int lines = 30)
    {
        lock (_log) _log.Flush();
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Keep the data directory (database and log) after the run.</summary>
    public bool KeepData { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
        if (!KeepData)
        {
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
