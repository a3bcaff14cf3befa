using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

/// <summary>
/// Issue 2's concurrency promise through the whole inbound path: real HTTP into the adapter (authentication,
/// redelivery guard, per-conversation lock), a bot that counts in conversation and user state, saved to a real
/// SQLite file. Every activity is posted at once; afterwards the stored counts must account for every one.
/// </summary>
public sealed class HttpConcurrencyTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    /// <summary>Counts turns and remembers their ids in conversation state, counts visits in user state.</summary>
    private sealed class CountingBot(ConversationState conversation, UserState user) : ActivityHandler
    {
        private readonly IStatePropertyAccessor<List<string>> _seen = conversation.CreateProperty<List<string>>("seen");
        private readonly IStatePropertyAccessor<int> _visits = user.CreateProperty<int>("visits");

        protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        {
            var seen = await _seen.GetAsync(turnContext, () => [], cancellationToken);
            seen.Add(turnContext.Activity.Id!);
            await _visits.SetAsync(turnContext, await _visits.GetAsync(turnContext, () => 0, cancellationToken) + 1, cancellationToken);
        }
    }

    /// <param name="recordInConversation">
    /// The host's redelivery guard (records in the conversation's document) instead of the protocol's default (a
    /// record of its own per activity).
    /// </param>
    private async Task<BotTestEnvironment> StartAsync(bool recordInConversation)
    {
        var storage = new SqlStorage(new SqliteDatabase(_file.Path));
        await storage.EnsureSchemaAsync();
        var conversation = new ConversationState(storage);
        var user = new UserState(storage);
        var states = new BotStateSet(conversation, user);
        var bot = new AutoSaveStateBot(new CountingBot(conversation, user), states);
        return await BotTestEnvironment.StartAsync(configureServices: services =>
        {
            services.AddSingleton<IStorage>(storage);
            services.AddSingleton<IBot>(bot);
            if (recordInConversation)
            {
                services.AddSingleton<IActivityDeduplicator>(new ConversationStateDeduplicator(states, conversation, TimeProvider.System));
            }
        });
    }

    private static async Task<(List<string> Seen, int Visits)> StoredAsync(string path, string conversationId, string userId)
    {
        var storage = new SqlStorage(new SqliteDatabase(path));
        var conversation = new ConversationState(storage);
        var user = new UserState(storage);
        var turn = TestTurnContext.Message(conversationId, userId);
        var seen = await conversation.CreateProperty<List<string>>("seen").GetAsync(turn, () => []);
        var visits = await user.CreateProperty<int>("visits").GetAsync(turn, () => 0);
        return (seen, visits);
    }

    private static Activity From(Activity activity, string userId)
    {
        activity.From = new ChannelAccount { Id = userId, Name = userId };
        return activity;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fifty_simultaneous_activities_in_one_conversation_over_HTTP_lose_no_update(bool recordInConversation)
    {
        await using var env = await StartAsync(recordInConversation);
        var activities = Enumerable.Range(0, 50).Select(i => From(env.Message($"hello {i}", id: $"one-{i}", conversationId: "19:group@thread.v2"), $"29:user-{i % 5}")).ToList();

        var statuses = await Task.WhenAll(activities.Select(async activity =>
        {
            using var response = await env.PostAsync(activity);
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        var (seen, _) = await StoredAsync(_file.Path, "19:group@thread.v2", "29:user-0");
        Assert.Equal(activities.Select(a => a.Id!).Order(), seen.Order());
        for (var u = 0; u < 5; u++)
        {
            Assert.Equal(10, (await StoredAsync(_file.Path, "19:group@thread.v2", $"29:user-{u}")).Visits);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_thousand_simultaneous_activities_across_conversations_over_HTTP_lose_no_update_and_redeliveries_count_once(bool recordInConversation)
    {
        await using var env = await StartAsync(recordInConversation);
        // 200 one-to-one chats, 5 activities each; every activity is also redelivered once, concurrently.
        var activities = Enumerable.Range(0, 1000).Select(i => From(env.Message($"hello {i}", id: $"many-{i}", conversationId: $"a:chat-{i % 200}"), $"29:user-{i % 200}")).ToList();
        var deliveries = activities.Concat(activities).ToList();

        var statuses = await Task.WhenAll(deliveries.Select(async activity =>
        {
            using var response = await env.PostAsync(activity);
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        var total = 0;
        for (var c = 0; c < 200; c++)
        {
            var (seen, visits) = await StoredAsync(_file.Path, $"a:chat-{c}", $"29:user-{c}");
            var expected = activities.Where(a => a.Conversation!.Id == $"a:chat-{c}").Select(a => a.Id!).Order();
            Assert.Equal(expected, seen.Order());
            Assert.Equal(5, visits);
            total += seen.Count;
        }
        Assert.Equal(1000, total);
    }
}
