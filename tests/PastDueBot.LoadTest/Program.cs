using PastDueBot.LoadTest;

// Started by FloorRun as the process under test.
if (FloorBot.IsRequested)
{
    await FloorBot.RunAsync();
    return 0;
}

// The driver's own compilation settles only with the tiering delay off (DriverTiering): if it is not, run again with it.
if (await DriverTiering.RelaunchUnlessSetAsync(args) is { } exitCode) return exitCode;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

if (options.Floor)
{
    using var floorLimit = new CancellationTokenSource(options.RunLimit);
    return await FloorRun.RunAsync(options, floorLimit.Token);
}

var botDll = Path.GetFullPath(options.BotDll ?? Path.Combine(RepoRoot(), "bot", "Host", "bin", "Release", "net10.0", "PastDueBot.dll"));
if (!File.Exists(botDll))
{
    Console.Error.WriteLine($"{botDll} does not exist: build it first (dotnet build -c Release bot/Host), or run scripts/bench.sh.");
    return 2;
}

// The run stops by itself: the limit cancels everything still going, and the bot process is killed on the way out.
using var limit = new CancellationTokenSource(options.RunLimit);
Console.CancelKeyPress += (_, e) => { e.Cancel = true; limit.Cancel(); };
try
{
    var result = await LoadRun.RunAsync(options, botDll, limit.Token);
    Console.WriteLine(Report.Render(result, botDll));
    return Report.Failed(result) ? 1 : 0;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or OperationCanceledException)
{
    Console.Error.WriteLine($"The load test could not run: {ex.Message}");
    return 1;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "PastDueBot.sln"))) return dir.FullName;
    }
    return Directory.GetCurrentDirectory();
}
