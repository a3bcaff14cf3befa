using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Testing;

/// <summary>
/// Microsoft Graph v1.0 as seen on the wire, on 127.0.0.1 (Kestrel, port 0): each test scripts the answers and
/// reads back the requests the real SDK sent; the load test answers through <see cref="Fallback"/>.
/// </summary>
public sealed class GraphLoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();

    private GraphLoopbackServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers used when the script has run out.</summary>
    public Func<HttpContext, Task> Fallback { get; set; } = context => Error(context, 500, "generalException", "No scripted answer.");

    public static async Task<GraphLoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new GraphLoopbackServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Urls.Single().TrimEnd('/') + "/v1.0";
        return server;
    }

    public void Then(Func<HttpContext, Task> answer) => _script.Enqueue(answer);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers["Retry-Attempt"].ToString()));
        return _script.TryDequeue(out var answer) ? answer(context) : Fallback(context);
    }

    public static Task Json(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        return context.Response.WriteAsync(json, Encoding.UTF8);
    }

    /// <summary>Graph's error envelope: {"error":{"code","message","innerError":{...}}}.</summary>
    public static Task Error(HttpContext context, int status, string code, string message, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var requestId = Guid.NewGuid();
        var body = new
        {
            error = new
            {
                code,
                message,
                innerError = new Dictionary<string, string>
                {
                    ["date"] = "2026-11-26T16:00:00",
                    ["request-id"] = requestId.ToString(),
                    ["client-request-id"] = requestId.ToString(),
                },
            },
        };
        return Json(context, System.Text.Json.JsonSerializer.Serialize(body), status);
    }
}

public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Authorization, string RetryAttempt);
