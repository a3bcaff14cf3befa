using System.Net;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Connector;

/// <summary>
/// Connector faults against the loopback connector: what is retried (429 with Retry-After, 412, 502, 504, timeouts
/// of idempotent calls), what is not (401/403/404/413, timed-out POSTs), and what the caller gets.
/// Backoff delays are a millisecond here; no assertion depends on elapsed time.
/// </summary>
public sealed class ConnectorFaultTests : IAsyncLifetime
{
    private LoopbackConnector _connector = null!;
    private ConnectorTestHost _host = null!;

    public async Task InitializeAsync() => _connector = await LoopbackConnector.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await _connector.DisposeAsync();
    }

    private IConnectorClient Client(params (string Key, string Value)[] settings)
    {
        _host = ConnectorTestHost.Create(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        return _host.Factory.Create(_connector.ServiceUrl);
    }

    private static Activity Message => new() { Type = ActivityTypes.Message, Text = "past due" };

    private static Dictionary<string, string> RetryAfter(string value) => new() { ["Retry-After"] = value };

    private IEnumerable<CapturedLog> Retries => _host.Logs.Logs.Where(l => l.EventId.Id == 4102);

    [Fact]
    public async Task Throttled_429_waits_the_Retry_After_seconds_then_succeeds()
    {
        _connector.Reply(ConnectorReply.Error(429, "Throttled", "Too many requests", RetryAfter("1")));

        var response = await Client().SendToConversationAsync("a:1", Message);

        Assert.Equal("activity-2", response.Id);
        Assert.Equal(2, _connector.Requests.Count);
        var retry = Assert.Single(Retries);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Fields["RetryDelay"]);
        Assert.Equal("429", retry.Fields["Outcome"]);
        Assert.Equal("op-1", retry.Fields["CorrelatingOperationId"]);
    }

    [Fact]
    public async Task Throttled_429_with_a_date_waits_until_that_date()
    {
        // A date already past means "now": retried without waiting.
        _connector.Reply(ConnectorReply.Error(429, "Throttled", "Too many requests", RetryAfter(DateTimeOffset.UtcNow.AddMinutes(-1).ToString("r"))));

        var response = await Client().SendToConversationAsync("a:1", Message);

        Assert.Equal("activity-2", response.Id);
        Assert.Equal(TimeSpan.Zero, Assert.Single(Retries).Fields["RetryDelay"]);
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(7), ConnectorRetryPolicy.ReadRetryAfter(new(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromSeconds(90), ConnectorRetryPolicy.ReadRetryAfter(new(now.AddSeconds(90)), now));
        Assert.Null(ConnectorRetryPolicy.ReadRetryAfter(null, now));
    }

    [Fact]
    public async Task Throttled_429_asking_longer_than_MaxRetryAfter_surfaces_at_once_with_the_wait()
    {
        _connector.Reply(ConnectorReply.Error(429, "Throttled", "Too many requests", RetryAfter("3600")));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client().SendToConversationAsync("a:1", Message));

        Assert.Single(_connector.Requests);
        Assert.True(error.IsThrottled);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("Throttled", error.ErrorCode);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Equal("op-1", error.CorrelationId);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(412)]
    [InlineData(503)]
    public async Task Transient_status_on_a_send_is_retried_then_succeeds(int status)
    {
        _connector.Reply(new ConnectorReply(status, "<html>gateway</html>"), new ConnectorReply(status));

        var response = await Client().SendToConversationAsync("a:1", Message);

        Assert.Equal("activity-3", response.Id);
        Assert.Equal(3, _connector.Requests.Count);
        Assert.All(_connector.Requests, r => Assert.Equal(_connector.Requests[0].Body, r.Body));
        Assert.Equal(2, Retries.Count());
    }

    [Fact]
    public async Task Exhausted_retries_surface_the_last_status_and_correlating_id()
    {
        _connector.Reply(Enumerable.Repeat(ConnectorReply.Error(504, "GatewayTimeout", "upstream timed out"), 10).ToArray());

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client(("Connector:MaxRetries", "2")).GetConversationMembersAsync("a:1"));

        Assert.Equal(3, _connector.Requests.Count); // the first attempt and two retries
        Assert.Equal(HttpStatusCode.GatewayTimeout, error.StatusCode);
        Assert.Equal("GatewayTimeout", error.ErrorCode);
        Assert.Equal("upstream timed out", error.Message);
        Assert.Equal("op-3", error.CorrelationId);
        Assert.False(error.IsBotRemovedOrBlocked);
    }

    [Fact]
    public async Task A_gateway_error_without_a_json_body_still_surfaces_its_status()
    {
        _connector.Reply(new ConnectorReply(502, "<html>Bad gateway</html>"));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client(("Connector:MaxRetries", "0")).SendToConversationAsync("a:1", Message));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Single(_connector.Requests);
    }

    [Fact]
    public async Task Gateway_errors_on_a_post_are_not_retried_when_duplicates_are_refused()
    {
        _connector.Reply(new ConnectorReply(502));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client(("Connector:RetryPostOnGatewayErrors", "false")).SendToConversationAsync("a:1", Message));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Single(_connector.Requests);
    }

    [Fact]
    public async Task Gateway_errors_on_an_update_are_retried_even_when_post_duplicates_are_refused()
    {
        _connector.Reply(new ConnectorReply(502));

        await Client(("Connector:RetryPostOnGatewayErrors", "false")).UpdateActivityAsync("a:1", "2", Message);

        Assert.Equal(2, _connector.Requests.Count);
    }

    [Theory]
    [InlineData("BotNotInConversationRoster")]
    [InlineData("ConversationBlockedByUser")]
    [InlineData("BotDisabledByAdmin")]
    public async Task Forbidden_bot_removed_or_blocked_is_not_retried_and_is_typed(string code)
    {
        _connector.Reply(ConnectorReply.Error(403, code, "The bot is not part of the conversation roster."));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client().CreateConversationAsync(new ConversationParameters { IsGroup = true }));

        Assert.Single(_connector.Requests);
        Assert.Empty(Retries);
        Assert.True(error.IsBotRemovedOrBlocked);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal("The bot is not part of the conversation roster.", error.Message);
        Assert.Equal("op-1", error.CorrelationId);
        var failure = Assert.Single(_host.Logs.Logs, l => l.EventId.Id == 4101);
        Assert.Equal("op-1", failure.Fields["CorrelatingOperationId"]);
        Assert.Equal(code, failure.Fields["ErrorCode"]);
    }

    [Fact]
    public async Task Conversation_not_found_is_not_retried_and_is_typed()
    {
        _connector.Reply(ConnectorReply.Error(404, "ConversationNotFound", "Conversation not found."));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client().GetConversationMemberAsync("a:gone", "29:u1"));

        Assert.Single(_connector.Requests);
        Assert.True(error.IsConversationNotFound);
        Assert.False(error.IsBotRemovedOrBlocked);
    }

    [Theory]
    [InlineData(400, "BadSyntax")]
    [InlineData(401, "BotNotRegistered")]
    [InlineData(403, "Forbidden")]
    [InlineData(413, "MessageSizeTooBig")]
    [InlineData(500, "InternalServerError")]
    public async Task Other_failures_are_not_retried(int status, string code)
    {
        _connector.Reply(ConnectorReply.Error(status, code, "no"));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client().UpdateActivityAsync("a:1", "2", Message));

        Assert.Single(_connector.Requests);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.False(error.IsBotRemovedOrBlocked);
    }

    [Fact]
    public async Task A_timed_out_get_is_retried()
    {
        _connector.Reply(new ConnectorReply(0, Hang: true), new ConnectorReply(200, """[{"id":"29:u1"}]"""));

        var members = await Client(("Connector:AttemptTimeout", "00:00:00.300")).GetConversationMembersAsync("a:1");

        Assert.Equal("29:u1", Assert.Single(members).Id);
        Assert.Equal(2, _connector.Requests.Count);
        Assert.Equal("TimeoutRejectedException", Assert.Single(Retries).Fields["Outcome"]);
    }

    [Fact]
    public async Task A_timed_out_post_is_not_retried_because_it_may_have_been_delivered()
    {
        _connector.Reply(new ConnectorReply(0, Hang: true));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client(("Connector:AttemptTimeout", "00:00:00.300")).SendToConversationAsync("a:1", Message));

        Assert.Equal(HttpStatusCode.RequestTimeout, error.StatusCode);
        Assert.Equal(ConnectorErrorCodes.ClientTimeout, error.ErrorCode);
        Assert.Single(_connector.Requests);
        Assert.Empty(Retries);
    }

    [Fact]
    public async Task A_post_to_a_connector_that_is_down_is_retried_then_surfaces_a_transport_failure()
    {
        var serviceUrl = _connector.ServiceUrl;
        await _connector.DisposeAsync(); // nothing listens on that port any more: the request never left
        _connector = await LoopbackConnector.StartAsync();

        _ = Client();
        var error = await Assert.ThrowsAsync<ConnectorException>(() => _host.Factory.Create(serviceUrl).SendToConversationAsync("a:1", Message));

        Assert.Equal(ConnectorErrorCodes.TransportFailure, error.ErrorCode);
        Assert.Equal(3, Retries.Count());
        Assert.All(Retries, r => Assert.Equal("HttpRequestException", r.Fields["Outcome"]));
    }

    [Fact]
    public async Task The_caller_cancelling_is_a_cancellation_not_a_connector_error()
    {
        _connector.Reply(new ConnectorReply(0, Hang: true));
        using var cancel = new CancellationTokenSource();
        var client = Client();

        var call = client.GetConversationMembersAsync("a:1", cancel.Token);
        while (_connector.Requests.Count == 0) await Task.Delay(10);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_connector.Requests);
    }
}
