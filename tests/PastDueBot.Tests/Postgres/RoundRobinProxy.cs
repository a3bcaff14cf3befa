using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// A load balancer on loopback that sends each conversation's turns to the instances in turn (turn 1 to the
/// first, turn 2 to the second, …), so every conversation alternates between processes.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _turns = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly int[] _forwarded;

    private RoundRobinProxy(WebApplication app, IReadOnlyList<Uri> targets)
    {
        _app = app;
        Targets = targets;
        _forwarded = new int[targets.Count];
    }

    public IReadOnlyList<Uri> Targets { get; }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How many requests each target was sent.</summary>
    public IReadOnlyList<int> Forwarded => _forwarded.ToArray();

    public static async Task<RoundRobinProxy> StartAsync(IReadOnlyList<Uri> targets)
    {
        var app = LoopbackServer.CreateBuilder().Build();
        RoundRobinProxy? proxy = null;
        app.MapPost("/api/messages", (HttpContext context) => proxy!.ForwardAsync(context));
        var address = await LoopbackServer.StartAsync(app);
        proxy = new RoundRobinProxy(app, targets) { Endpoint = new Uri(address, "/api/messages") };
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var conversation = (string?)JsonNode.Parse(body)?["conversation"]?["id"] ?? string.Empty;
        var turn = _turns.AddOrUpdate(conversation, 0, (_, n) => n + 1);
        var target = turn % Targets.Count;
        Interlocked.Increment(ref _forwarded[target]);

        using var request = new HttpRequestMessage(HttpMethod.Post, Targets[target]) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (context.Request.Headers.Authorization.Count > 0) request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var response = await _http.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
