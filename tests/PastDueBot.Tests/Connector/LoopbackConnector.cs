using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace PastDueBot.Tests.Connector;

/// <summary>One request as the fake connector saw it: the raw (still escaped) target, headers and body.</summary>
public sealed record ConnectorRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake connector answers next. <see cref="Hang"/>: never answer (until the client gives up).</summary>
public sealed record ConnectorReply(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public static ConnectorReply Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(), headers);
}

/// <summary>
/// A Bot Connector on Kestrel 127.0.0.1:0, scripted per test: answers queued replies in order, then
/// <c>200 {"id":"…"}</c>. Every answer carries an X-Correlating-OperationId like the real one (<c>op-{n}</c>).
/// </summary>
public sealed class LoopbackConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorReply> _replies = new();
    private readonly ConcurrentQueue<ConnectorRequest> _requests = new();
    private int _count;

    private LoopbackConnector(WebApplication app) => _app = app;

    /// <summary>The serviceUrl, with a path like Teams' (<c>…/teams/</c>).</summary>
    public string ServiceUrl { get; private set; } = "";

    public IReadOnlyList<ConnectorRequest> Requests => [.. _requests];

    /// <summary>Consulted before the queued replies: a reply for this request, or null for the usual answer (e.g. Teams-like limits).</summary>
    public Func<ConnectorRequest, ConnectorReply?>? Responder { get; set; }

    public static async Task<LoopbackConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var connector = new LoopbackConnector(app);
        app.Run(connector.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        connector.ServiceUrl = $"{address.TrimEnd('/')}/teams/";
        return connector;
    }

    public LoopbackConnector Reply(params ConnectorReply[] replies)
    {
        foreach (var reply in replies) _replies.Enqueue(reply);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _count);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        _requests.Enqueue(new ConnectorRequest(context.Request.Method, target, headers, body));

        var reply = Responder?.Invoke(new ConnectorRequest(context.Request.Method, target, headers, body))
            ?? (_replies.TryDequeue(out var next) ? next
            : context.Request.Method == "POST" && target.EndsWith("/v3/conversations", StringComparison.Ordinal)
                // A created conversation (1:1 chat or channel thread) with its first activity, as Teams answers.
                ? new ConnectorReply(200, $$"""{"id":"conversation-{{number}}","activityId":"activity-{{number}}"}""")
                : new ConnectorReply(200, $$"""{"id":"activity-{{number}}"}"""));
        if (reply.Hang)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted); } catch (OperationCanceledException) { }
            return;
        }

        context.Response.StatusCode = reply.Status;
        context.Response.Headers["X-Correlating-OperationId"] = $"op-{number}";
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (reply.Body is not null)
        {
            context.Response.ContentType = reply.Body.StartsWith('<') ? "text/html" : "application/json; charset=utf-8";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
