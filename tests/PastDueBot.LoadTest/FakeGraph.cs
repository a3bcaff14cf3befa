using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PastDueBot.LoadTest;

/// <summary>
/// Microsoft Graph v1.0 on http://127.0.0.1:0 for <c>--directory graph</c>: the two calls the bot's Graph directory
/// makes, answered as Graph does, for a tenant where every simulated admin is a Billing Administrator.
/// <c>GET /v1.0/users/{id}?$select=…</c> returns the user; <c>GET /v1.0/roleManagement/directory/roleAssignments
/// ?$filter=principalId eq '{id}'</c> one tenant-wide assignment. A request without a token Entra ID issued gets
/// Graph's 401 <c>InvalidAuthenticationToken</c> error and is counted as refused.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private const string BillingAdministrator = "b0f54661-2d74-4c50-afa3-1ec803f12efe";
    private const string ODataJson = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private readonly WebApplication _app;
    private readonly Func<string, bool> _acceptsToken;
    private int _requests;
    private int _refused;

    private FakeGraph(WebApplication app, Func<string, bool> acceptsToken)
    {
        _app = app;
        _acceptsToken = acceptsToken;
    }

    /// <summary>http://127.0.0.1:{port}/v1.0, the bot's Graph:BaseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public int Refused => Volatile.Read(ref _refused);

    public static async Task<FakeGraph> StartAsync(Func<string, bool> acceptsToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var graph = new FakeGraph(builder.Build(), acceptsToken);
        graph._app.Run(graph.HandleAsync);
        await graph._app.StartAsync();
        graph.BaseUrl = LoopbackAddress.Of(graph._app) + "/v1.0";
        return graph;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_acceptsToken(authorization["Bearer ".Length..]))
        {
            Interlocked.Increment(ref _refused);
            await ErrorAsync(context, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
            return;
        }

        var path = context.Request.Path.Value ?? "";
        if (context.Request.Method == "GET" && path.StartsWith("/v1.0/users/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/v1.0/users/".Length..]);
            await JsonAsync(context, new Dictionary<string, object?>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,mail)/$entity",
                ["id"] = id,
                ["displayName"] = $"Admin {id[..8]}",
                ["userPrincipalName"] = $"admin-{id[..8]}@contoso.example",
                ["mail"] = $"admin-{id[..8]}@contoso.example",
            });
            return;
        }

        if (context.Request.Method == "GET" && path == "/v1.0/roleManagement/directory/roleAssignments"
            && context.Request.Query["$filter"].ToString() is var filter && filter.StartsWith("principalId eq '", StringComparison.Ordinal))
        {
            var principal = filter["principalId eq '".Length..].TrimEnd('\'');
            await JsonAsync(context, new Dictionary<string, object?>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments",
                ["value"] = new[]
                {
                    new Dictionary<string, object?>
                    {
                        ["id"] = $"assignment-{principal}",
                        ["principalId"] = principal,
                        ["roleDefinitionId"] = BillingAdministrator,
                        ["directoryScopeId"] = "/",
                    },
                },
            });
            return;
        }

        await ErrorAsync(context, 400, "BadRequest", $"Unexpected request {context.Request.Method} {path}{context.Request.QueryString}.");
    }

    private static Task JsonAsync(HttpContext context, Dictionary<string, object?> body)
    {
        context.Response.ContentType = ODataJson;
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, new Dictionary<string, object?>
        {
            ["error"] = new Dictionary<string, object?>
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new Dictionary<string, object?> { ["request-id"] = Guid.NewGuid().ToString(), ["date"] = DateTime.UtcNow.ToString("s") },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
