using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;
using PastDueBot.Testing;

namespace PastDueBot.Tests.Connector;

/// <summary>
/// The outbound token through real MSAL against a fake Entra ID on loopback https: client credentials with the
/// right authority and scope, fetched once and cached, attached as Bearer to every connector attempt, never logged.
/// </summary>
public sealed class ConnectorTokenTests : IAsyncLifetime
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";
    private const string Secret = "s3cr3t~value-that-must-never-be-logged";

    private LoopbackConnector _connector = null!;
    private FakeEntraId _entra = null!;
    private ConnectorTestHost? _host;

    public async Task InitializeAsync()
    {
        _connector = await LoopbackConnector.StartAsync();
        _entra = await FakeEntraId.StartAsync(Secret);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await _entra.DisposeAsync();
        await _connector.DisposeAsync();
    }

    /// <summary>
    /// A host whose MSAL HttpClient trusts the fake's certificate and, when <paramref name="redirectEntra"/>, sends what
    /// MSAL addresses to login.microsoftonline.com to the fake instead (this machine cannot reach Entra ID).
    /// </summary>
    private ConnectorTestHost Host(Dictionary<string, string?> settings, bool redirectEntra, List<Uri>? asked = null)
    {
        _host = ConnectorTestHost.Create(settings, services =>
        {
            var msal = services.AddHttpClient(MsalHttpClientFactory.ClientName).ConfigurePrimaryHttpMessageHandler(_entra.CreateTrustingHandler);
            if (redirectEntra) msal.AddHttpMessageHandler(() => new RedirectHandler(_entra.BaseUrl, asked ?? []));
        });
        return _host;
    }

    private static Activity Message => new() { Type = ActivityTypes.Message, Text = "past due" };

    /// <summary>
    /// Settings whose authority is the fake itself: MSAL's instance discovery for login.microsoftonline.com is cached
    /// per process, and the test that checks it must be the one that fills it.
    /// </summary>
    private Dictionary<string, string?> FakeAuthority(string secret) => new()
    {
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = secret,
        ["MicrosoftAppTenantId"] = "tenant-1",
        ["ToChannelFromBotLoginUrl"] = new Uri(_entra.BaseUrl, "tenant-1").ToString(),
    };

    [Fact]
    public async Task SingleTenant_token_comes_from_the_tenant_authority_once_and_is_attached_to_every_call()
    {
        var asked = new List<Uri>();
        var host = Host(new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = Secret, ["MicrosoftAppTenantId"] = "tenant-1" }, redirectEntra: true, asked);
        _connector.Reply(new ConnectorReply(200), new ConnectorReply(502), new ConnectorReply(200), new ConnectorReply(200, """[{"id":"29:u1"}]"""));
        var client = host.Factory.Create(_connector.ServiceUrl);

        await client.SendToConversationAsync("a:1", Message);
        await client.UpdateActivityAsync("a:1", "1", Message); // 502, retried with the same cached token
        await host.Factory.Create(_connector.ServiceUrl).GetConversationMembersAsync("a:1");
        await client.DeleteActivityAsync("a:1", "1");

        var token = Assert.Single(_entra.TokenRequests);
        Assert.Equal("/tenant-1/oauth2/v2.0/token", token.Path);
        Assert.Equal("client_credentials", token.GrantType);
        Assert.Equal(AppId, token.ClientId);
        Assert.Equal("https://api.botframework.com/.default", token.Scope);
        Assert.True(token.SecretMatched);
        // For Entra's public host MSAL asks instance discovery once, then the token endpoint; no OpenID document.
        Assert.Equal(
            ["https://login.microsoftonline.com/common/discovery/instance", "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"],
            asked.Select(uri => uri.GetLeftPart(UriPartial.Path)));
        Assert.Equal("/common/discovery/instance", _entra.Paths[0]);

        Assert.Equal(5, _connector.Requests.Count);
        Assert.All(_connector.Requests, r => Assert.Equal($"Bearer {FakeEntraId.TokenNumber(1)}", r.Header("Authorization")));
        AssertNothingSecretLogged(host, FakeEntraId.TokenNumber(1));
    }

    [Fact]
    public async Task MultiTenant_token_comes_from_the_botframework_com_authority()
    {
        var host = Host(new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = Secret, ["MicrosoftAppType"] = "MultiTenant" }, redirectEntra: true);

        await host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);

        Assert.Equal("/botframework.com/oauth2/v2.0/token", Assert.Single(_entra.TokenRequests).Path);
        Assert.Equal($"Bearer {FakeEntraId.TokenNumber(1)}", Assert.Single(_connector.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_configured_login_url_and_scope_are_used_as_given()
    {
        var host = Host(new()
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = Secret,
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["ToChannelFromBotLoginUrl"] = new Uri(_entra.BaseUrl, "sovereign-tenant").ToString(),
            ["ToChannelFromBotOAuthScope"] = "https://api.botframework.us",
        }, redirectEntra: false);

        await host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);
        await host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);

        var token = Assert.Single(_entra.TokenRequests);
        Assert.Equal("/sovereign-tenant/oauth2/v2.0/token", token.Path);
        Assert.Equal("https://api.botframework.us/.default", token.Scope);
        Assert.All(_connector.Requests, r => Assert.Equal($"Bearer {FakeEntraId.TokenNumber(1)}", r.Header("Authorization")));
    }

    [Fact]
    public async Task A_rejected_secret_is_a_typed_error_and_nothing_reaches_the_connector()
    {
        var host = Host(new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = "wrong-" + Secret, ["MicrosoftAppTenantId"] = "tenant-1" }, redirectEntra: true);

        var error = await Assert.ThrowsAsync<ConnectorException>(() => host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ConnectorErrorCodes.TokenAcquisitionFailed, error.ErrorCode);
        Assert.Contains("invalid_client", error.Message);
        Assert.Empty(_connector.Requests);
        Assert.NotEmpty(_entra.TokenRequests);
        AssertNothingSecretLogged(host, "wrong-" + Secret);
    }

    [Fact]
    public async Task Callers_without_a_fresh_token_share_one_request_and_one_cancelling_caller_does_not_stop_it()
    {
        var host = Host(FakeAuthority(Secret), redirectEntra: false);
        var tokens = host.Services.GetRequiredService<IAccessTokenProvider>();

        // The first caller gives up at once; the request it started goes on for the others.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var impatient = tokens.GetAccessTokenAsync(cancelled.Token);
        var burst = Enumerable.Range(0, 8).Select(_ => tokens.GetAccessTokenAsync()).ToArray();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.All(await Task.WhenAll(burst), token => Assert.Equal(FakeEntraId.TokenNumber(1), token));
        Assert.Single(_entra.TokenRequests);
    }

    [Fact]
    public async Task A_failed_shared_request_fails_every_waiter_and_the_next_caller_asks_again()
    {
        var host = Host(FakeAuthority("wrong-" + Secret), redirectEntra: false);
        var tokens = host.Services.GetRequiredService<IAccessTokenProvider>();

        var burst = Enumerable.Range(0, 4).Select(_ => tokens.GetAccessTokenAsync()).ToArray();
        foreach (var waiter in burst) await Assert.ThrowsAsync<AccessTokenException>(() => waiter);
        var asked = _entra.TokenRequests.Count;
        await Assert.ThrowsAsync<AccessTokenException>(() => tokens.GetAccessTokenAsync());

        Assert.True(_entra.TokenRequests.Count > asked, "a failure is not cached: the next caller asks Entra ID again");
    }

    [Fact]
    public async Task Anonymous_mode_sends_no_authorization_header_and_asks_for_no_token()
    {
        var host = Host(new(), redirectEntra: true);

        await host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);

        Assert.IsType<AnonymousAccessTokenProvider>(host.Services.GetRequiredService<IAccessTokenProvider>());
        Assert.Null(Assert.Single(_connector.Requests).Header("Authorization"));
        Assert.Empty(_entra.TokenRequests);
    }

    private static void AssertNothingSecretLogged(ConnectorTestHost host, params string[] extra)
    {
        var logs = host.Logs.Records;
        Assert.NotEmpty(logs);
        foreach (var secret in extra.Append(Secret))
        {
            foreach (var log in logs)
            {
                Assert.DoesNotContain(secret, log.Message);
                Assert.DoesNotContain(secret, log.Exception?.ToString() ?? "");
                Assert.All(log.Fields.Values, v => Assert.DoesNotContain(secret, v?.ToString() ?? ""));
            }
        }
    }

    /// <summary>Sends a request addressed to any host to the fake Entra ID, keeping path and query, and notes where it was addressed.</summary>
    private sealed class RedirectHandler(Uri target, List<Uri> asked) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (asked) asked.Add(request.RequestUri!);
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
