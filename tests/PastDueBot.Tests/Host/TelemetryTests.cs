using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PastDueBot.Host.Hosting;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Host;

/// <summary>
/// OpenTelemetry as an operator turns it on: the real bot process with <c>Telemetry__Exporter=console</c> prints one
/// trace per turn (the request to /api/messages, and the connector call its reply made, as its child) and ASP.NET
/// Core's metrics; health probes stay out of the traces, and without the setting nothing is printed.
/// </summary>
public sealed partial class TelemetryTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pastduebot-telemetry-" + Guid.NewGuid().ToString("N"));
    private LoopbackConnector _connector = null!;

    private string DatabasePath => Path.Combine(_folder, "pastduebot.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _connector = await LoopbackConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        TestFiles.TryDeleteDirectory(_folder);
    }

    [Fact]
    public async Task With_the_console_exporter_a_turn_is_one_trace_from_the_request_to_its_connector_call()
    {
        await using var bot = await BotProcess.StartAsync(DatabasePath, _connector, new Dictionary<string, string?>
        {
            [TelemetrySetup.ExporterKey] = "console",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using (var health = await bot.Http.GetAsync(new Uri(bot.BaseAddress, "/healthz"))) health.EnsureSuccessStatusCode();
        var chat = new TeamsChat(bot, "telemetry-1", "en-US");
        Assert.NotEmpty(await chat.SayAsync("settle"));

        var spans = await WaitForAsync(bot, output =>
        {
            var all = Spans(output);
            var server = all.FirstOrDefault(IsTurnRequest);
            return server is not null && all.Any(span => span.TraceId == server.TraceId && span.Kind == "Client") ? all : null;
        });

        var request = Assert.Single(spans, IsTurnRequest);
        Assert.Equal("POST /api/messages", request.Name);
        var reply = spans.First(span => span.TraceId == request.TraceId && span.Kind == "Client");
        Assert.Equal("POST", reply.Tags["http.request.method"]);
        Assert.Contains("/teams/v3/conversations/", reply.Tags["url.full"], StringComparison.Ordinal);
        Assert.Equal(request.SpanId, reply.ParentSpanId);
        Assert.DoesNotContain(spans, span => span.Tags.GetValueOrDefault("url.path") == "/healthz");

        // Metrics, exported every half second here: the request duration ASP.NET Core records.
        await WaitForAsync(bot, output => output.Contains("Metric Name: http.server.request.duration", StringComparison.Ordinal) ? output : null);
    }

    [Fact]
    public async Task Without_the_setting_nothing_is_recorded()
    {
        await using var bot = await BotProcess.StartAsync(DatabasePath, _connector);
        var chat = new TeamsChat(bot, "telemetry-2", "en-US");
        Assert.NotEmpty(await chat.SayAsync("settle"));
        Assert.DoesNotContain("Activity.TraceId", bot.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_exporter_stops_the_start_naming_the_key()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [TelemetrySetup.ExporterKey] = "zipkin" });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPastDueBotTelemetry());
        Assert.Contains(TelemetrySetup.ExporterKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_the_metric_exporter_printed_into_keeps_its_tags_and_a_half_printed_span_is_left_out()
    {
        // The shape CI once printed: the metric exporter's resource line fell between a span's kind and its tags.
        var output = string.Join('\n',
            "Activity.TraceId:            4bf92f3577b34da6a3ce929d0e0e4736",
            "Activity.SpanId:             00f067aa0ba902b7",
            "Activity.DisplayName:        POST",
            "Activity.Kind:               Client",
            "Resource associated with Metrics:",
            "    service.name: PastDueBot",
            "Activity.Tags:",
            "    http.request.method: POST",
            "Resource associated with Activity:",
            "    service.name: PastDueBot",
            "",
            "Activity.TraceId:            4bf92f3577b34da6a3ce929d0e0e4736",
            "Activity.SpanId:             53995c3f42cd8ad8",
            "Activity.DisplayName:        POST /api/messages",
            "Activity.Kind:               Server");

        var span = Assert.Single(Spans(output));
        Assert.Equal("00f067aa0ba902b7", span.SpanId);
        Assert.Equal("POST", span.Tags["http.request.method"]);
    }

    private static async Task<T> WaitForAsync<T>(BotProcess bot, Func<string, T?> found) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (found(bot.Output) is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("Not in the bot's output within 30 s:\n" + bot.Output);
            await Task.Delay(100);
        }
    }

    private static bool IsTurnRequest(Span span) => span.Kind == "Server" && span.Tags.GetValueOrDefault("url.path") == "/api/messages";

    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, Dictionary<string, string> Tags);

    /// <summary>
    /// The console exporter's spans: a block of "Activity.X: value" lines, then indented tags, ended by the resource
    /// the span belongs to. A block with no resource line yet is still being written, so it is left out. The metric
    /// exporter prints on its own thread, so its lines (its own "Resource associated with Metrics:" among them) can fall
    /// inside a span's block: only the activity's resource line ends one.
    /// </summary>
    private static List<Span> Spans(string output)
    {
        var spans = new List<Span>();
        Dictionary<string, string>? fields = null;
        Dictionary<string, string>? tags = null;
        foreach (var line in output.Split('\n'))
        {
            if (FieldLine().Match(line) is { Success: true } field)
            {
                if (field.Groups["name"].Value == "TraceId")
                {
                    fields = new(StringComparer.Ordinal);
                    tags = new(StringComparer.Ordinal);
                }
                fields?.TryAdd(field.Groups["name"].Value, field.Groups["value"].Value.Trim());
            }
            else if (tags is not null && TagLine().Match(line) is { Success: true } tag)
            {
                tags.TryAdd(tag.Groups["name"].Value, tag.Groups["value"].Value.Trim());
            }
            else if (line.StartsWith("Resource associated with Activity:", StringComparison.Ordinal))
            {
                Add();
            }
        }
        return spans;

        void Add()
        {
            if (fields is not null && tags is not null && fields.TryGetValue("TraceId", out var trace) && fields.TryGetValue("SpanId", out var span)
                && fields.TryGetValue("DisplayName", out var name) && fields.TryGetValue("Kind", out var kind))
            {
                spans.Add(new Span(trace, span, fields.GetValueOrDefault("ParentSpanId"), name, kind, tags));
            }
            fields = null;
            tags = null;
        }
    }

    [GeneratedRegex(@"^Activity\.(?<name>\w+):\s*(?<value>.*)$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^\s{4}(?<name>[\w.]+):\s*(?<value>.*)$")]
    private static partial Regex TagLine();
}
