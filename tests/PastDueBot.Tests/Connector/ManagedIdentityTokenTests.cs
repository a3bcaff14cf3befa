using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Connector;

/// <summary>
/// MicrosoftAppType UserAssignedMSI through real MSAL against a fake of App Service's managed identity endpoint on
/// loopback, found by MSAL as on App Service (IDENTITY_ENDPOINT + IDENTITY_HEADER): the request names the Bot
/// Framework resource, the identity's client id (MicrosoftAppId) and carries the identity header; the issued token
/// goes on every connector attempt and is reused until near expiry; failures are typed and nothing secret is logged.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ManagedIdentityTokenTests : IAsyncLifetime
{
    // MSAL caches managed identity tokens process-wide per identity and resource: every test uses its own identity.
    private readonly string _appId = Guid.NewGuid().ToString();

    private LoopbackConnector _connector = null!;
    private FakeAppServiceIdentityEndpoint _identity = null!;
    private ProcessEnvironment _environment = null!;
    private ConnectorTestHost? _host;

    public async Task InitializeAsync()
    {
        _connector = await LoopbackConnector.StartAsync();
        _identity = await FakeAppServiceIdentityEndpoint.StartAsync(assignedClientId: _appId);
        _environment = AppServiceEnvironment(_identity.Endpoint, _identity.IdentityHeader);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _environment.Dispose();
        await _identity.DisposeAsync();
        await _connector.DisposeAsync();
    }

    /// <summary>What App Service sets for an app with a managed identity (and nothing that would make MSAL pick another source).</summary>
    private static ProcessEnvironment AppServiceEnvironment(Uri endpoint, string header) => new(new Dictionary<string, string?>
    {
        ["IDENTITY_ENDPOINT"] = endpoint.ToString(),
        ["IDENTITY_HEADER"] = header,
        ["IDENTITY_SERVER_THUMBPRINT"] = null,
        ["MSI_ENDPOINT"] = null,
        ["MSI_SECRET"] = null,
    });

    /// <summary>The container as the app builds it; MSAL's named HttpClient notes what it sends.</summary>
    private ConnectorTestHost Host(string appId, List<Uri>? sentByMsal = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = appId,
            ["MicrosoftAppType"] = "UserAssignedMSI",
            ["MicrosoftAppTenantId"] = "tenant-1",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        _host = ConnectorTestHost.Create(settings, services =>
            services.AddHttpClient(MsalHttpClientFactory.ClientName).AddHttpMessageHandler(() => new RecordingHandler(sentByMsal ?? [])));
        return _host;
    }

    private static Activity Message => new() { Type = ActivityTypes.Message, Text = "past due" };

    [Fact]
    public async Task The_token_comes_from_the_identity_endpoint_for_the_bot_framework_resource_and_goes_on_every_call()
    {
        var sentByMsal = new List<Uri>();
        var host = Host(_appId, sentByMsal);
        _connector.Reply(new ConnectorReply(200), new ConnectorReply(502), new ConnectorReply(200), new ConnectorReply(200, """[{"id":"29:u1"}]"""));
        var client = host.Factory.Create(_connector.ServiceUrl);

        await client.SendToConversationAsync("a:1", Message);
        await client.UpdateActivityAsync("a:1", "1", Message); // 502, retried with the same token
        await host.Factory.Create(_connector.ServiceUrl).GetConversationMembersAsync("a:1");
        await client.DeleteActivityAsync("a:1", "1");

        Assert.IsType<ManagedIdentityAccessTokenProvider>(host.Services.GetRequiredService<IAccessTokenProvider>());
        var request = Assert.Single(_identity.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(FakeAppServiceIdentityEndpoint.TokenPath, request.Path);
        Assert.Equal("2019-08-01", request.ApiVersion);
        Assert.Equal("https://api.botframework.com", request.Resource);
        Assert.Equal(_appId, request.ClientId);
        Assert.Equal(_identity.IdentityHeader, request.IdentityHeader);
        // MSAL used the app's IHttpClientFactory client (pooled handlers, headers redacted in its logs).
        Assert.Equal(_identity.Endpoint.GetLeftPart(UriPartial.Path), Assert.Single(sentByMsal).GetLeftPart(UriPartial.Path));

        Assert.Equal(5, _connector.Requests.Count);
        Assert.All(_connector.Requests, r => Assert.Equal($"Bearer {FakeAppServiceIdentityEndpoint.TokenNumber(1)}", r.Authorization));
        AssertNothingSecretLogged(host, FakeAppServiceIdentityEndpoint.TokenNumber(1), _identity.IdentityHeader);
    }

    [Fact]
    public async Task A_configured_scope_is_the_resource_asked_for()
    {
        var host = Host(_appId, extra: new() { ["ToChannelFromBotOAuthScope"] = "https://api.botframework.us" });

        await host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);

        Assert.Equal("https://api.botframework.us", Assert.Single(_identity.Requests).Resource);
        Assert.Equal($"Bearer {FakeAppServiceIdentityEndpoint.TokenNumber(1)}", Assert.Single(_connector.Requests).Authorization);
    }

    /// <summary>
    /// Far from expiry the provider hands out its last token without asking MSAL; within ten minutes of expiry it asks
    /// MSAL, whose cache still serves the token until five minutes before expiry; past that the endpoint is asked again.
    /// </summary>
    [Theory]
    [InlineData(60, 1, new[] { "IdentityProvider" })]
    [InlineData(7, 1, new[] { "IdentityProvider", "Cache", "Cache" })]
    [InlineData(4, 3, new[] { "IdentityProvider", "IdentityProvider", "IdentityProvider" })]
    public async Task The_token_is_reused_until_near_expiry(int lifetimeMinutes, int identityRequests, string[] tokenSources)
    {
        _identity.TokenLifetime = TimeSpan.FromMinutes(lifetimeMinutes);
        var host = Host(_appId);
        var client = host.Factory.Create(_connector.ServiceUrl);

        for (var i = 0; i < 3; i++) await client.SendToConversationAsync("a:1", Message);

        Assert.Equal(identityRequests, _identity.Requests.Count);
        Assert.Equal(
            new[] { 1, 2, 3 }.Select(n => $"Bearer {FakeAppServiceIdentityEndpoint.TokenNumber(Math.Min(n, identityRequests))}"),
            _connector.Requests.Select(r => r.Authorization ?? ""));
        var obtained = host.Logs.Records.Where(r => r.EventId.Id == 4200).Select(r => r.Fields["TokenSource"]?.ToString() ?? "");
        Assert.Equal(tokenSources, obtained);
    }

    [Fact]
    public async Task An_identity_not_assigned_to_the_host_is_a_clear_error_and_nothing_reaches_the_connector()
    {
        var unassigned = Guid.NewGuid().ToString();
        var host = Host(unassigned);

        var token = await Assert.ThrowsAsync<AccessTokenException>(() => host.Services.GetRequiredService<IAccessTokenProvider>().GetAccessTokenAsync());
        var error = await Assert.ThrowsAsync<ConnectorException>(() => host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message));

        Assert.All(new[] { token.Message, error.Message }, message =>
        {
            Assert.Contains($"managed identity with client id {unassigned}", message);
            Assert.Contains("managed_identity_request_failed (HTTP 400)", message);
            Assert.Contains("Unable to load the proper Managed Identity.", message);
            Assert.Contains("assigned to the host", message);
        });
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ConnectorErrorCodes.TokenAcquisitionFailed, error.ErrorCode);
        Assert.Empty(_connector.Requests);
        // A 400 is not retried by MSAL: one request per attempt to get a token.
        Assert.Equal(2, _identity.Requests.Count);
        Assert.All(_identity.Requests, r => Assert.Equal(unassigned, r.ClientId));
        Assert.Contains(host.Logs.Records, r => r.EventId.Id == 4201 && r.Fields["MsalErrorCode"]?.ToString() == "managed_identity_request_failed");
        AssertNothingSecretLogged(host, _identity.IdentityHeader);
    }

    [Fact]
    public async Task An_unreachable_identity_endpoint_is_a_clear_error()
    {
        using var closed = AppServiceEnvironment(new Uri($"http://127.0.0.1:{UnusedPort()}{FakeAppServiceIdentityEndpoint.TokenPath}"), _identity.IdentityHeader);
        var host = Host(_appId);

        var error = await Assert.ThrowsAsync<AccessTokenException>(() => host.Services.GetRequiredService<IAccessTokenProvider>().GetAccessTokenAsync());

        Assert.Contains("managed_identity_unreachable_network", error.Message);
        Assert.Contains("No managed identity endpoint answered", error.Message);
        Assert.Empty(_identity.Requests);
        AssertNothingSecretLogged(host, _identity.IdentityHeader);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void AssertNothingSecretLogged(ConnectorTestHost host, params string[] secrets)
    {
        var logs = host.Logs.Records;
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, host.Logs.AllText, StringComparison.Ordinal);
            Assert.All(logs, log => Assert.All(log.Fields.Values, v => Assert.DoesNotContain(secret, v?.ToString() ?? "", StringComparison.Ordinal)));
        }
    }

    /// <summary>Notes each request MSAL sends through the app's named HttpClient.</summary>
    private sealed class RecordingHandler(List<Uri> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (sent) sent.Add(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
