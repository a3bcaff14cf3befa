using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Connector;

/// <summary>
/// The connector client without retries (one HTTP attempt per call, for callers that retry and pace themselves), and
/// the error bodies Teams answers a refused post with, including the messaging service's <c>MessageWritesBlocked</c>
/// shape, read over HTTP from the loopback connector.
/// </summary>
public sealed class ConnectorSingleAttemptTests : IAsyncLifetime
{
    /// <summary>The 403 body Teams documents for a thread blocked from message writes, byte for byte (send-proactive-messages.md).</summary>
    public const string MessageWritesBlockedBody =
        "{\"errorCode\":209,\"message\":\"{\\r\\n  \\\"subCode\\\": \\\"MessageWritesBlocked\\\",\\r\\n  \\\"details\\\": \\\"Thread is blocked from message writes.\\\",\\r\\n  \\\"errorCode\\\": null,\\r\\n  \\\"errorSubCode\\\": null\\r\\n}\"}";

    private LoopbackConnector _connector = null!;
    private ConnectorTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _connector = await LoopbackConnector.StartAsync();
        _host = ConnectorTestHost.Create();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _connector.DisposeAsync();
    }

    private static Activity Message => new() { Type = ActivityTypes.Message, Text = "past due" };

    private IEnumerable<LogRecord> Retries => _host.Logs.Records.Where(l => l.EventId.Id == 4102);

    [Theory]
    [InlineData(429)]
    [InlineData(412)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_client_without_retries_makes_one_attempt_and_surfaces_what_the_retrying_client_would_retry(int status)
    {
        _connector.Reply(ConnectorReply.Error(status, "Transient", "try later", new Dictionary<string, string> { ["Retry-After"] = "2" }));

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            _host.Factory.CreateWithoutRetries(_connector.ServiceUrl).CreateConversationAsync(new ConversationParameters { IsGroup = true }));

        Assert.Single(_connector.Requests);
        Assert.Empty(Retries);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal("op-1", error.CorrelationId);
    }

    [Fact]
    public async Task The_retrying_client_of_the_same_factory_still_retries()
    {
        _connector.Reply(new ConnectorReply(502));

        var response = await _host.Factory.Create(_connector.ServiceUrl).SendToConversationAsync("a:1", Message);

        Assert.Equal("activity-2", response.Id);
        Assert.Equal(2, _connector.Requests.Count);
        Assert.Single(Retries);
    }

    [Fact]
    public async Task A_client_without_retries_carries_the_bots_token_and_times_out_a_post_once()
    {
        await using var host = ConnectorTestHost.Create(new Dictionary<string, string?>
        {
            ["Connector:AttemptTimeout"] = "00:00:00.300",
        }, services => services.AddSingleton<PastDueBot.Protocol.Authentication.IAccessTokenProvider>(new FixedAccessTokenProvider("single-attempt-token")));
        _connector.Reply(new ConnectorReply(0, Hang: true));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => host.Factory.CreateWithoutRetries(_connector.ServiceUrl).SendToConversationAsync("a:1", Message));

        Assert.Equal(ConnectorErrorCodes.ClientTimeout, error.ErrorCode);
        Assert.Equal("Bearer single-attempt-token", Assert.Single(_connector.Requests).Authorization);
    }

    [Fact]
    public async Task The_documented_MessageWritesBlocked_body_is_a_blocked_bot_with_its_sub_code()
    {
        _connector.Reply(new ConnectorReply(403, MessageWritesBlockedBody));

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            _host.Factory.CreateWithoutRetries(_connector.ServiceUrl).SendToConversationAsync("a:1", Message));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Equal(ConnectorErrorCodes.MessageWritesBlocked, error.SubCode);
        Assert.True(error.IsBotRemovedOrBlocked);
        Assert.Equal("MessageWritesBlocked", error.BlockedReason);
        Assert.Equal("Thread is blocked from message writes.", error.Message);
        var failure = Assert.Single(_host.Logs.Records, l => l.EventId.Id == 4101);
        Assert.Equal("MessageWritesBlocked", failure.Fields["SubCode"]);
    }

    [Theory]
    [InlineData(403, "{\"error\":{\"code\":\"BotNotInConversationRoster\",\"message\":\"The bot is not part of the conversation roster.\"}}", "BotNotInConversationRoster", true)]
    [InlineData(403, "{\"error\":{\"code\":\"ConversationBlockedByUser\",\"message\":\"User blocked the conversation with the bot.\"}}", "ConversationBlockedByUser", true)]
    [InlineData(403, "{\"error\":{\"code\":\"BotDisabledByAdmin\",\"message\":\"The tenant admin disabled this bot.\"}}", "BotDisabledByAdmin", true)]
    [InlineData(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"{\\\"subCode\\\":\\\"MessageWritesBlocked\\\"}\"}}", "MessageWritesBlocked", true)]
    [InlineData(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Not allowed.\"}}", "Forbidden", false)]
    [InlineData(403, "<html>Forbidden</html>", "403", false)]
    [InlineData(404, "{\"error\":{\"code\":\"ConversationNotFound\",\"message\":\"Conversation not found.\"}}", "ConversationNotFound", false)]
    public async Task Refusals_are_read_from_either_body_shape(int status, string body, string reason, bool blocked)
    {
        _connector.Reply(new ConnectorReply(status, body));

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            _host.Factory.CreateWithoutRetries(_connector.ServiceUrl).CreateConversationAsync(new ConversationParameters { IsGroup = true }));

        Assert.Equal(blocked, error.IsBotRemovedOrBlocked);
        Assert.Equal(reason, error.BlockedReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{not json")]
    [InlineData("{\"message\":\"{ but not json\"}")]
    public void A_body_that_says_nothing_parses_to_nothing_or_to_its_text(string body)
    {
        var parsed = ConnectorErrorBody.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Null(parsed.Code);
        Assert.Null(parsed.SubCode);
        Assert.Equal(body.StartsWith("{\"message\"", StringComparison.Ordinal) ? "{ but not json" : null, parsed.Message);
    }
}
