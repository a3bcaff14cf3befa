using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>Conversation and user state on the embedded default: a real SQLite file in WAL mode.</summary>
public sealed class SqliteStateTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private sealed record Bot(ConversationState Conversation, UserState User, BotStateSet States)
    {
        public static Bot On(string path)
        {
            var storage = new SqlStorage(new SqliteDatabase(path));
            var conversation = new ConversationState(storage);
            var user = new UserState(storage);
            return new Bot(conversation, user, new BotStateSet(conversation, user));
        }
    }

    /// <summary>
    /// One activity's state change, as a turn would make it: read, change, save on the ETag read; on a lost race
    /// reload and re-apply. The adapter serialises turns per conversation, so this is the fallback, exercised
    /// here without that help.
    /// </summary>
    private static Task HandleActivityAsync(Bot bot, ITurnContext turn, int maxAttempts) => StorageRetry.RunAsync(async ct =>
    {
        await bot.States.LoadAllAsync(turn, force: true, ct);
        var seen = await bot.Conversation.CreateProperty<List<string>>("seen").GetAsync(turn, () => [], ct);
        seen.Add(turn.Activity.Id!);
        var visits = bot.User.CreateProperty<int>("visits");
        await visits.SetAsync(turn, await visits.GetAsync(turn, () => 0, ct) + 1, ct);
        await bot.States.SaveAllChangesAsync(turn, cancellationToken: ct);
    }, maxAttempts);

    [Fact]
    public async Task Fifty_simultaneous_activities_in_one_conversation_lose_no_update()
    {
        var bot = Bot.On(_file.Path);
        var turns = Enumerable.Range(0, 50).Select(i => TestTurnContext.Message("19:chat", userId: $"29:user-{i % 5}")).ToList();

        // A turn conflicts at most once per other turn on its conversation (49) or user (9).
        await Task.WhenAll(turns.Select(turn => Task.Run(() => HandleActivityAsync(bot, turn, maxAttempts: 60))));

        var check = TestTurnContext.Message("19:chat");
        var seen = await bot.Conversation.CreateProperty<List<string>>("seen").GetAsync(check, () => []);
        Assert.Equal(turns.Select(t => t.Activity.Id!).Order(), seen.Order());
        for (var u = 0; u < 5; u++)
        {
            Assert.Equal(10, await bot.User.CreateProperty<int>("visits").GetAsync(TestTurnContext.Message("19:chat", $"29:user-{u}"), () => 0));
        }
    }

    [Fact]
    public async Task A_thousand_simultaneous_activities_across_conversations_lose_no_update()
    {
        var bot = Bot.On(_file.Path);
        // 200 conversations with 5 activities each, from 250 users with 4 activities each (in 4 conversations).
        var turns = Enumerable.Range(0, 1000).Select(i => TestTurnContext.Message($"a:conv-{i % 200}", userId: $"29:user-{i % 250}")).ToList();

        // A turn conflicts at most once per other turn on its conversation (4) or user (3).
        await Task.WhenAll(turns.Select(turn => Task.Run(() => HandleActivityAsync(bot, turn, maxAttempts: 10))));

        var reopened = Bot.On(_file.Path);
        var seen = reopened.Conversation.CreateProperty<List<string>>("seen");
        var total = 0;
        for (var c = 0; c < 200; c++)
        {
            var expected = turns.Where(t => t.Activity.Conversation!.Id == $"a:conv-{c}").Select(t => t.Activity.Id!).Order();
            var stored = await seen.GetAsync(TestTurnContext.Message($"a:conv-{c}"), () => []);
            Assert.Equal(expected, stored.Order());
            total += stored.Count;
        }
        Assert.Equal(1000, total);
        var visits = reopened.User.CreateProperty<int>("visits");
        for (var u = 0; u < 250; u++)
        {
            Assert.Equal(4, await visits.GetAsync(TestTurnContext.Message("any", $"29:user-{u}"), () => 0));
        }
    }

    public sealed record WaterfallInstance(string Id, Dictionary<string, JsonElement> State);

    [Fact]
    public async Task After_a_restart_on_the_same_file_every_conversation_continues_where_it_was()
    {
        Assert.False(File.Exists(_file.Path));
        var before = Bot.On(_file.Path);
        var stack = before.Conversation.CreateProperty<List<WaterfallInstance>>("DialogState");
        for (var c = 0; c < 3; c++)
        {
            var turn = TestTurnContext.Message($"conv-{c}", userId: "29:admin");
            await stack.SetAsync(turn, [new WaterfallInstance("settle", new Dictionary<string, JsonElement>
            {
                ["stepIndex"] = JsonSerializer.SerializeToElement(c),
                ["values"] = JsonSerializer.SerializeToElement(new JsonObject { ["accountId"] = $"acc-{c}" }),
            })]);
            await before.User.CreateProperty<string>("locale").SetAsync(turn, "nl-NL");
            await before.States.SaveAllChangesAsync(turn);
        }
        Assert.True(File.Exists(_file.Path));

        // The process ends: nothing of it survives but the file.
        before = null;
        SqliteConnection.ClearAllPools();

        var after = Bot.On(_file.Path);
        var resumed = after.Conversation.CreateProperty<List<WaterfallInstance>>("DialogState");
        for (var c = 0; c < 3; c++)
        {
            var turn = TestTurnContext.Message($"conv-{c}", userId: "29:admin");
            var instance = Assert.Single(await resumed.GetAsync(turn, () => []));
            Assert.Equal("settle", instance.Id);
            Assert.Equal(c, instance.State["stepIndex"].GetInt32());
            Assert.Equal($"acc-{c}", instance.State["values"].GetProperty("accountId").GetString());
            Assert.Equal("nl-NL", await after.User.CreateProperty<string>("locale").GetAsync(turn, () => "en-US"));

            // The next step saves on the ETag read after the restart.
            instance.State["stepIndex"] = JsonSerializer.SerializeToElement(c + 1);
            await after.States.SaveAllChangesAsync(turn);
        }

        SqliteConnection.ClearAllPools();
        var again = Bot.On(_file.Path);
        var last = await again.Conversation.CreateProperty<List<WaterfallInstance>>("DialogState").GetAsync(TestTurnContext.Message("conv-2"), () => []);
        Assert.Equal(3, last.Single().State["stepIndex"].GetInt32());
    }
}
