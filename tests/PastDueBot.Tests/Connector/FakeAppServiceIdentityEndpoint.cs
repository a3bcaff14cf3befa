using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Connector;

/// <summary>A token request as the identity endpoint received it.</summary>
public sealed record IdentityTokenRequest(string Method, string Path, string? ApiVersion, string? Resource, string? ClientId, string? IdentityHeader);

/// <summary>
/// App Service's local managed identity token service (the one behind IDENTITY_ENDPOINT; App Service itself serves it
/// over plain http on loopback), as documented in "How to use managed identities for App Service" §Using the REST
/// protocol: <c>GET {IDENTITY_ENDPOINT}?resource=…&amp;api-version=2019-08-01&amp;client_id=…</c> with the header
/// <c>X-IDENTITY-HEADER: {IDENTITY_HEADER}</c>, answered 200 with
/// <c>{access_token, client_id, expires_on, not_before, resource, token_type}</c> (times as strings of Unix seconds, as
/// in the documented sample). A client id that is not assigned gets the service's observed 400
/// <c>{"statusCode":400,"message":"Unable to load the proper Managed Identity.","correlationId":…}</c>
/// (Azure/azure-sdk-for-net#43691).
/// </summary>
public sealed class FakeAppServiceIdentityEndpoint : IAsyncDisposable
{
    public const string TokenPath = "/msi/token";

    private readonly WebApplication _app;
    private readonly string _assignedClientId;
    private readonly ConcurrentQueue<IdentityTokenRequest> _requests = new();
    private int _issued;

    private FakeAppServiceIdentityEndpoint(WebApplication app, string assignedClientId)
    {
        _app = app;
        _assignedClientId = assignedClientId;
    }

    /// <summary>The value the platform puts in IDENTITY_HEADER (it rotates; any unguessable string).</summary>
    public string IdentityHeader { get; } = Guid.NewGuid().ToString();

    /// <summary>http://127.0.0.1:{port}/msi/token: the value of IDENTITY_ENDPOINT.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How long issued tokens live (App Service issues them for about a day; tests shorten it).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<IdentityTokenRequest> Requests => [.. _requests];

    public static string TokenNumber(int n) => $"fake-managed-identity-token-{n}";

    /// <summary>An endpoint for which only <paramref name="assignedClientId"/> is assigned to the host.</summary>
    public static async Task<FakeAppServiceIdentityEndpoint> StartAsync(string assignedClientId)
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var endpoint = new FakeAppServiceIdentityEndpoint(app, assignedClientId);
        app.MapMethods(TokenPath, [HttpMethods.Get, HttpMethods.Post], endpoint.Token);
        endpoint.Endpoint = new Uri(await LoopbackServer.StartAsync(app), TokenPath);
        return endpoint;
    }

    private IResult Token(HttpContext context)
    {
        var query = context.Request.Query;
        var header = context.Request.Headers["X-IDENTITY-HEADER"].ToString();
        var request = new IdentityTokenRequest(context.Request.Method, context.Request.Path.Value ?? "", query["api-version"], query["resource"], query["client_id"], header.Length == 0 ? null : header);
        _requests.Enqueue(request);

        // What the real service answers without the header is not documented; refusing keeps a test from passing without it.
        if (request.Method != HttpMethods.Get || request.IdentityHeader != IdentityHeader || request.ApiVersion != "2019-08-01" || string.IsNullOrEmpty(request.Resource))
        {
            return Results.Json(new JsonObject { ["statusCode"] = 400, ["message"] = "Bad request (test fake: method, X-IDENTITY-HEADER, api-version or resource wrong).", ["correlationId"] = Guid.NewGuid().ToString() }, statusCode: 400);
        }

        if (!string.Equals(request.ClientId, _assignedClientId, StringComparison.OrdinalIgnoreCase))
        {
            var correlationId = Guid.NewGuid().ToString();
            context.Response.Headers["X-CORRELATION-ID"] = correlationId;
            return Results.Json(new JsonObject { ["statusCode"] = 400, ["message"] = "Unable to load the proper Managed Identity.", ["correlationId"] = correlationId }, statusCode: 400);
        }

        var now = DateTimeOffset.UtcNow;
        return Results.Json(new JsonObject
        {
            ["access_token"] = TokenNumber(Interlocked.Increment(ref _issued)),
            ["client_id"] = _assignedClientId,
            ["expires_on"] = (now + TokenLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["not_before"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = request.Resource,
            ["token_type"] = "Bearer",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
