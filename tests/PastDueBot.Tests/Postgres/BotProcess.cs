using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// A real bot process: <c>dotnet PastDueBot.dll</c> from the host's build output in the tests' configuration,
/// configured through environment variables only, on a free loopback port. Output is kept for failure messages.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private BotProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
    }

    public Uri BaseAddress { get; }

    public Uri MessagesEndpoint => new(BaseAddress, "/api/messages");

    public string Output => string.Join("\n", _output);

    public static string HostAssembly
    {
        get
        {
            var configuration = typeof(BotProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = RepoPaths.Combine("bot", "Host", "bin", configuration, "net10.0", "PastDueBot.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the host first ({configuration}).", path);
        }
    }

    public static async Task<BotProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssembly },
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The bot process exited with {process.ExitCode}:\n{bot.Output}");
            try
            {
                using var health = await http.GetAsync(new Uri(bot.BaseAddress, "/healthz"));
                if (health.StatusCode == HttpStatusCode.OK) return bot;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await bot.DisposeAsync();
        throw new TimeoutException($"The bot process did not answer /healthz:\n{bot.Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a container is killed.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
