using PastDueBot.Tests.Support;
using Xunit.Abstractions;

namespace PastDueBot.Tests.E2E;

/// <summary>
/// Runs tests/e2e (node --test) as part of the one test command: the bot built with this test project, started as
/// its own process, chatted with through the Microsoft 365 Agents Playground in headless Chromium. The node
/// script starts and stops every process itself; its TAP output is attached to the test's output.
/// </summary>
public sealed class PlaygroundE2ETests(ITestOutputHelper output)
{
    [Fact]
    public async Task Settle_flows_and_the_channel_work_in_the_Agents_Playground()
    {
        var node = ExternalTool.Require("node");
        var e2e = RepoPaths.Combine("tests", "e2e");
        foreach (var folder in new[] { Path.Combine(e2e, "node_modules"), RepoPaths.Combine("scripts", "playground", "node_modules") })
        {
            Assert.True(Directory.Exists(folder), $"{folder} is missing; run scripts/setup-test-deps.sh first.");
        }

        // The host assembly is copied beside the tests (project reference), so this is the code under test.
        var botDll = Path.Combine(AppContext.BaseDirectory, "PastDueBot.dll");
        Assert.True(File.Exists(botDll), $"{botDll} is missing");

        // A safety net against a hung browser or process, not a performance assertion.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await ExternalTool.RunAsync(node, ["--test", "--test-reporter=tap", "playground.test.mjs"], e2e,
            new Dictionary<string, string?> { ["PASTDUEBOT_BOT_DLL"] = botDll }, timeout.Token);

        output.WriteLine(result.StdOut);
        output.WriteLine(result.StdErr);
        Assert.True(result.ExitCode == 0, $"node --test failed (exit {result.ExitCode}):\n{Tail(result.StdOut)}\n{Tail(result.StdErr)}");
        Assert.Contains("# fail 0", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"# pass [1-9]", result.StdOut);
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
