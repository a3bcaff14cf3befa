using System.Net;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>What the bot sends lands on the connector at the route and with the addressing Teams expects (facts §3).</summary>
public sealed class TurnRoutingTests : IAsyncLifetime
{
    private BotTestEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await BotTestEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task Reply_to_a_user_message_uses_the_reply_route_with_addressing_from_the_inbound_activity()
    {
        var inbound = _env.Message("hello", id: "1700000000001", conversationId: "a:1Xy;messageid=1700000000001");

        using var response = await _env.PostAsync(inbound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_env.Connector.Requests);
        Assert.Equal(ConnectorOperation.ReplyToActivity, request.Operation);
        Assert.Equal("POST", request.Method);
        Assert.Equal("a:1Xy;messageid=1700000000001", request.ConversationId);
        Assert.Equal("1700000000001", request.ActivityId);
        Assert.StartsWith("/teams/v3/conversations/", request.PathAndQuery, StringComparison.Ordinal);

        var sent = request.ReadActivity();
        Assert.Equal(ActivityTypes.Message, sent.Type);
        Assert.Equal("echo: hello", sent.Text);
        Assert.Null(sent.Id);
        Assert.Equal("1700000000001", sent.ReplyToId);
        Assert.Equal(inbound.Conversation!.Id, sent.Conversation?.Id);
        Assert.Equal(inbound.From!.Id, sent.Recipient?.Id);
        Assert.Equal(inbound.Recipient!.Id, sent.From?.Id);
        Assert.Equal(Channels.Msteams, sent.ChannelId);
        Assert.Equal(_env.ServiceUrl, sent.ServiceUrl);
    }

    [Fact]
    public async Task Activity_without_reply_to_id_goes_to_send_to_conversation()
    {
        var bot = _env.Bot;
        bot.OnMessage = (context, ct) => context.SendActivityAsync(new Activity { Type = ActivityTypes.Message, Text = "new thread", ReplyToId = "" }, ct);
        var inbound = _env.Message("hi");
        inbound.Id = null; // e.g. a conversationUpdate-like activity without an id to reply to

        using var response = await _env.PostAsync(inbound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_env.Connector.Requests);
        Assert.Equal(ConnectorOperation.SendToConversation, request.Operation);
        Assert.Equal(inbound.Conversation!.Id, request.ConversationId);
    }

    [Fact]
    public async Task Members_added_welcome_is_sent_to_the_conversation()
    {
        var bot = new WelcomeBot();
        await using var env = await BotTestEnvironment.StartAsync(bot);
        var update = env.Message("");
        update.Type = ActivityTypes.ConversationUpdate;
        update.Text = null;
        update.MembersAdded = [new ChannelAccount { Id = "29:1-user" }];

        using var response = await env.PostAsync(update);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(env.Connector.Requests);
        Assert.Equal(ConnectorOperation.SendToConversation, request.Operation);
        Assert.Equal("welcome 29:1-user", request.ReadActivity().Text);
    }

    [Fact]
    public async Task Typing_update_and_delete_use_their_routes()
    {
        _env.Bot.OnMessage = async (context, ct) =>
        {
            await context.SendActivityAsync(Activity.CreateTypingActivity(), ct);
            Assert.False(context.Responded);
            var card = await context.SendActivityAsync("card v1", ct);
            Assert.True(context.Responded);
            await context.UpdateActivityAsync(new Activity { Type = ActivityTypes.Message, Id = card!.Id, Text = "card v2" }, ct);
            await context.DeleteActivityAsync(card.Id!, ct);
        };

        using var response = await _env.PostAsync(_env.Message("go", id: "42"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _env.Connector.Requests;
        Assert.Equal([ConnectorOperation.ReplyToActivity, ConnectorOperation.ReplyToActivity, ConnectorOperation.UpdateActivity, ConnectorOperation.DeleteActivity], requests.Select(r => r.Operation));
        Assert.Equal(ActivityTypes.Typing, requests[0].ReadActivity().Type);
        var sentId = requests[1].ActivityId == "42" ? null : requests[1].ActivityId;
        Assert.Null(sentId);
        Assert.Equal("PUT", requests[2].Method);
        Assert.Equal("card v2", requests[2].ReadActivity().Text);
        Assert.Equal(requests[2].ActivityId, requests[3].ActivityId);
        Assert.Equal("DELETE", requests[3].Method);
    }

    [Fact]
    public async Task Proactive_turn_posts_along_a_stored_reference()
    {
        ConversationReference? stored = null;
        _env.Bot.OnMessage = (context, _) =>
        {
            stored = context.Activity.GetConversationReference();
            return Task.CompletedTask;
        };
        using var first = await _env.PostAsync(_env.Message("remember me", id: "7"));
        Assert.NotNull(stored);
        stored.ActivityId = null; // a new message in the chat, not a reply

        await _env.Host.Adapter.ContinueConversationAsync(stored, async (context, ct) =>
        {
            Assert.Equal(ActivityTypes.Event, context.Activity.Type);
            Assert.Equal(CloudAdapter.ContinueConversationEventName, context.Activity.Name);
            await context.SendActivityAsync("Your payment went through.", ct);
        }, CancellationToken.None);

        var request = Assert.Single(_env.Connector.Requests);
        Assert.Equal(ConnectorOperation.SendToConversation, request.Operation);
        var sent = request.ReadActivity();
        Assert.Equal("Your payment went through.", sent.Text);
        Assert.Equal("29:1-user", sent.Recipient?.Id);
        Assert.Equal($"28:{_env.Channel.AppId}", sent.From?.Id);
    }

    [Fact]
    public async Task Turns_of_one_conversation_never_overlap()
    {
        var active = 0;
        var maxActive = 0;
        _env.Bot.OnMessage = async (_, _) =>
        {
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref maxActive, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref active);
        };

        var posts = Enumerable.Range(0, 12).Select(async i =>
        {
            using var r = await _env.PostAsync(_env.Message($"m{i}"));
            return r.StatusCode;
        });
        var statuses = await Task.WhenAll(posts);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(12, _env.Bot.Turns.Count);
        Assert.Equal(1, maxActive);
    }

    [Fact]
    public async Task Different_conversations_run_concurrently()
    {
        var firstEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Bot.OnMessage = async (context, _) =>
        {
            if (context.Activity.Text == "slow")
            {
                firstEntered.SetResult();
                await release.Task;
            }
        };

        var slow = _env.PostAsync(_env.Message("slow", conversationId: "a:conversation-1"));
        await firstEntered.Task;
        // Completes while conversation 1's turn still holds its lock.
        using var fast = await _env.PostAsync(_env.Message("fast", conversationId: "a:conversation-2"));
        release.SetResult();
        using var slowResponse = await slow;

        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class WelcomeBot : RecordingBot
    {
        protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken)
        {
            foreach (var member in membersAdded.Where(m => m.Id != turnContext.Activity.Recipient?.Id))
            {
                await turnContext.SendActivityAsync($"welcome {member.Id}", cancellationToken);
            }
        }
    }
}
