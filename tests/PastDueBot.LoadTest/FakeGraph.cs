using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PastDueBot.Testing;

namespace PastDueBot.LoadTest;

/// <summary>
/// Microsoft Graph for <c>--directory graph</c>: the tests' <see cref="GraphLoopbackServer"/> answering the two calls
/// the bot's Graph directory makes, for a tenant where every simulated admin is a Billing Administrator.
/// <c>GET /v1.0/users/{id}?$select=…</c> returns the user; <c>GET /v1.0/roleManagement/directory/roleAssignments
/// ?$filter=principalId eq '{id}'</c> one tenant-wide assignment. A request without a token Entra ID issued gets
/// Graph's 401 <c>InvalidAuthenticationToken</c> and is counted as refused.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private const string BillingAdministrator = "b0f54661-2d74-4c50-afa3-1ec803f12efe";

    private readonly GraphLoopbackServer _server;
    private readonly Func<string, bool> _acceptsToken;
    private int _refused;

    private FakeGraph(GraphLoopbackServer server, Func<string, bool> acceptsToken)
    {
        _server = server;
        _acceptsToken = acceptsToken;
        server.Fallback = AnswerAsync;
    }

    /// <summary>http://127.0.0.1:{port}/v1.0, the bot's Graph:BaseUrl.</summary>
    public string BaseUrl => _server.BaseUrl;

    public int Requests => _server.Requests.Count;

    public int Refused => Volatile.Read(ref _refused);

    public static async Task<FakeGraph> StartAsync(Func<string, bool> acceptsToken) =>
        new(await GraphLoopbackServer.StartAsync(), acceptsToken);

    private Task AnswerAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_acceptsToken(authorization["Bearer ".Length..]))
        {
            Interlocked.Increment(ref _refused);
            return GraphLoopbackServer.Error(context, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
        }

        var path = context.Request.Path.Value ?? "";
        if (context.Request.Method == "GET" && path.StartsWith("/v1.0/users/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/v1.0/users/".Length..]);
            var name = id.Length > 8 ? id[..8] : id;
            return GraphLoopbackServer.Json(context, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,mail)/$entity",
                ["id"] = id,
                ["displayName"] = $"Admin {name}",
                ["userPrincipalName"] = $"admin-{name}@contoso.example",
                ["mail"] = $"admin-{name}@contoso.example",
            }));
        }

        const string byPrincipal = "principalId eq '";
        var filter = context.Request.Query["$filter"].ToString();
        if (context.Request.Method == "GET" && path == "/v1.0/roleManagement/directory/roleAssignments" && filter.StartsWith(byPrincipal, StringComparison.Ordinal))
        {
            var principal = filter[byPrincipal.Length..].TrimEnd('\'');
            return GraphLoopbackServer.Json(context, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments",
                ["value"] = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["id"] = $"assignment-{principal}",
                        ["principalId"] = principal,
                        ["roleDefinitionId"] = BillingAdministrator,
                        ["directoryScopeId"] = "/",
                    },
                },
            }));
        }

        return GraphLoopbackServer.Error(context, 400, "BadRequest", $"Unexpected request {context.Request.Method} {path}{context.Request.QueryString}.");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
