using System.Text.Json;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Connector;

/// <summary>Every route's method, escaped path and JSON body, as the loopback connector receives them (anonymous mode).</summary>
public sealed class ConnectorWireTests : IAsyncLifetime
{
    private const string ChannelThread = "19:abc123@thread.tacv2;messageid=1700000000000";
    private const string EscapedChannelThread = "19%3Aabc123%40thread.tacv2%3Bmessageid%3D1700000000000";

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

    private IConnectorClient Client => _host.Factory.Create(_connector.ServiceUrl);

    private static Activity Message(string text) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        From = new ChannelAccount { Id = "28:bot-app-id", Name = "PastDueBot" },
        Recipient = new ChannelAccount { Id = "29:user-1", AadObjectId = "00000000-0000-0000-0000-000000000001" },
        Conversation = new ConversationAccount { Id = ChannelThread, ConversationType = "channel", TenantId = "tenant-1" },
        ReplyToId = "1700000000000",
    };

    [Fact]
    public async Task SendToConversation_posts_the_activity_to_the_escaped_conversation()
    {
        var response = await Client.SendToConversationAsync(ChannelThread, Message("Your balance is past due"));

        Assert.Equal("activity-1", response.Id);
        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/teams/v3/conversations/{EscapedChannelThread}/activities", request.RawTarget);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Null(request.Header("Authorization"));

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("Your balance is past due", root.GetProperty("text").GetString());
        Assert.Equal("28:bot-app-id", root.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal("00000000-0000-0000-0000-000000000001", root.GetProperty("recipient").GetProperty("aadObjectId").GetString());
        Assert.Equal("channel", root.GetProperty("conversation").GetProperty("conversationType").GetString());
        Assert.Equal("tenant-1", root.GetProperty("conversation").GetProperty("tenantId").GetString());
        Assert.False(root.TryGetProperty("id", out _), "nulls are omitted");
    }

    [Fact]
    public async Task ReplyToActivity_posts_under_the_escaped_activity_id()
    {
        var response = await Client.ReplyToActivityAsync("a:1x2y;3z", "1:abc=", Message("reply"));

        Assert.Equal("activity-1", response.Id);
        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1x2y%3B3z/activities/1%3Aabc%3D", request.RawTarget);
        Assert.Equal("reply", JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task UpdateActivity_puts_the_whole_activity()
    {
        _connector.Reply(new ConnectorReply(200, """{"id":"1700000000000"}"""));
        var response = await Client.UpdateActivityAsync(ChannelThread, "1700000000000", Message("paid"));

        Assert.Equal("1700000000000", response.Id);
        var request = Assert.Single(_connector.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"/teams/v3/conversations/{EscapedChannelThread}/activities/1700000000000", request.RawTarget);
        Assert.Equal("paid", JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task UpdateActivity_accepts_an_empty_answer()
    {
        _connector.Reply(new ConnectorReply(200));
        var response = await Client.UpdateActivityAsync("a:1", "2", Message("paid"));
        Assert.Null(response.Id);
    }

    [Fact]
    public async Task DeleteActivity_sends_delete_without_a_body()
    {
        _connector.Reply(new ConnectorReply(200));
        await Client.DeleteActivityAsync(ChannelThread, "1700000000000");

        var request = Assert.Single(_connector.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/teams/v3/conversations/{EscapedChannelThread}/activities/1700000000000", request.RawTarget);
        Assert.Equal("", request.Body);
    }

    [Fact]
    public async Task Member_lookups_use_the_members_routes()
    {
        _connector.Reply(
            new ConnectorReply(200, """[{"id":"29:u1","name":"Ada","aadObjectId":"oid-1","userPrincipalName":"ada@contoso.com"},{"id":"29:u2","name":"Bo"}]"""),
            new ConnectorReply(200, """{"id":"29:u1","name":"Ada","aadObjectId":"oid-1","email":"ada@contoso.com"}"""),
            new ConnectorReply(200, """{"continuationToken":"next page","members":[{"id":"29:u3","name":"Cy"}]}"""));
        var client = Client;

        var members = await client.GetConversationMembersAsync("a:conv");
        var member = await client.GetConversationMemberAsync("a:conv", "29:u1");
        var page = await client.GetConversationPagedMembersAsync("a:conv", 50, "tok/en+=");

        Assert.Equal(["29:u1", "29:u2"], members.Select(m => m.Id));
        Assert.Equal("oid-1", members[0].AadObjectId);
        Assert.Equal("ada@contoso.com", members[0].Extra!["userPrincipalName"].GetString());
        Assert.Equal("Ada", member.Name);
        Assert.Equal("next page", page.ContinuationToken);
        Assert.Equal("29:u3", Assert.Single(page.Members!).Id);

        Assert.All(_connector.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal(
            ["/teams/v3/conversations/a%3Aconv/members", "/teams/v3/conversations/a%3Aconv/members/29%3Au1", "/teams/v3/conversations/a%3Aconv/pagedmembers?pageSize=50&continuationToken=tok%2Fen%2B%3D"],
            _connector.Requests.Select(r => r.RawTarget));
    }

    [Fact]
    public async Task CreateConversation_for_a_one_to_one_chat_sends_bot_member_and_tenant()
    {
        _connector.Reply(new ConnectorReply(201, """{"id":"a:1-on-1-conversation"}"""));
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = "28:bot-app-id" },
            Members = [new ChannelAccount { Id = "29:user-1" }],
            TenantId = "tenant-1",
            ChannelData = JsonSerializer.SerializeToElement(new TeamsChannelData { Tenant = new TenantInfo { Id = "tenant-1" } }, ProtocolJson.Context.TeamsChannelData),
        };

        var created = await Client.CreateConversationAsync(parameters);

        Assert.Equal("a:1-on-1-conversation", created.Id);
        var request = Assert.Single(_connector.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations", request.RawTarget);
        var root = JsonDocument.Parse(request.Body).RootElement;
        Assert.False(root.GetProperty("isGroup").GetBoolean());
        Assert.Equal("28:bot-app-id", root.GetProperty("bot").GetProperty("id").GetString());
        Assert.Equal("29:user-1", Assert.Single(root.GetProperty("members").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("tenant-1", root.GetProperty("channelData").GetProperty("tenant").GetProperty("id").GetString());
        Assert.Equal("tenant-1", root.GetProperty("tenantId").GetString());
        Assert.False(root.TryGetProperty("activity", out _));
    }

    [Fact]
    public async Task CreateConversation_for_a_channel_thread_sends_isGroup_channel_and_activity()
    {
        _connector.Reply(new ConnectorReply(201, """{"id":"19:general@thread.tacv2;messageid=1700000000001","activityId":"1700000000001"}"""));
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            ChannelData = JsonSerializer.SerializeToElement(new TeamsChannelData
            {
                Channel = new TeamsChannelInfo { Id = "19:general@thread.tacv2" },
                Tenant = new TenantInfo { Id = "tenant-1" },
            }, ProtocolJson.Context.TeamsChannelData),
            Activity = new Activity { Type = ActivityTypes.Message, Text = "Contoso's subscription is past due" },
        };

        var created = await Client.CreateConversationAsync(parameters);

        Assert.Equal("19:general@thread.tacv2;messageid=1700000000001", created.Id);
        Assert.Equal("1700000000001", created.ActivityId);
        var root = JsonDocument.Parse(Assert.Single(_connector.Requests).Body).RootElement;
        Assert.True(root.GetProperty("isGroup").GetBoolean());
        Assert.Equal("19:general@thread.tacv2", root.GetProperty("channelData").GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal("message", root.GetProperty("activity").GetProperty("type").GetString());
        Assert.Equal("Contoso's subscription is past due", root.GetProperty("activity").GetProperty("text").GetString());
        Assert.False(root.TryGetProperty("members", out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServiceUrl_with_or_without_trailing_slash_keeps_its_path(bool trailingSlash)
    {
        var serviceUrl = trailingSlash ? _connector.ServiceUrl : _connector.ServiceUrl.TrimEnd('/');
        var client = _host.Factory.Create(serviceUrl);

        await client.SendToConversationAsync("a:1", Message("hi"));

        Assert.Equal(_connector.ServiceUrl, client.ServiceUrl.ToString());
        Assert.Equal("/teams/v3/conversations/a%3A1/activities", Assert.Single(_connector.Requests).RawTarget);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/teams")]
    public void A_service_url_that_is_not_http_is_refused(string serviceUrl) =>
        Assert.Throws<ArgumentException>(() => _host.Factory.Create(serviceUrl));

    [Fact]
    public async Task The_correlating_operation_id_is_logged_as_a_field()
    {
        await Client.SendToConversationAsync("a:1", Message("hi"));

        var log = Assert.Single(_host.Logs.Records, l => l.EventId.Id == 4100);
        Assert.Equal("op-1", log.Fields["CorrelatingOperationId"]);
        Assert.Equal(nameof(IConnectorClient.SendToConversationAsync), log.Fields["Operation"]);
        Assert.Equal("v3/conversations/a%3A1/activities", log.Fields["Route"]);
        Assert.Equal(200, log.Fields["StatusCode"]);
    }
}
