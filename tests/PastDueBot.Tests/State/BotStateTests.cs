using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

public sealed class BotStateTests
{
    private readonly CountingStorage _storage = new(new MemoryStorage());
    private readonly ConversationState _conversation;
    private readonly UserState _user;

    public BotStateTests()
    {
        _conversation = new ConversationState(_storage);
        _user = new UserState(_storage);
    }

    public sealed record DialogInstance(string Id, Dictionary<string, JsonElement> State, int? Version = null);

    public sealed record DialogStack(List<DialogInstance> Stack, JsonObject Values, DateTimeOffset StartedAt);

    [Fact]
    public async Task A_complex_property_round_trips_through_stored_json()
    {
        var property = _conversation.CreateProperty<DialogStack>("DialogState");
        var startedAt = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
        var written = new DialogStack(
            [new DialogInstance("settle", new Dictionary<string, JsonElement>
            {
                ["stepIndex"] = JsonSerializer.SerializeToElement(2),
                ["options"] = JsonSerializer.SerializeToElement(new { accountId = "acc-1", amount = 12.5m }),
            }, Version: 3)],
            new JsonObject { ["instanceId"] = "b5e0", ["nested"] = new JsonArray(1, "two", null) },
            startedAt);
        var first = TestTurnContext.Message("conv-1");
        await property.SetAsync(first, written);
        await _conversation.SaveChangesAsync(first);

        var next = TestTurnContext.Message("conv-1");
        var read = await property.GetAsync(next, () => throw new InvalidOperationException("should be stored"));

        var instance = Assert.Single(read.Stack);
        Assert.Equal("settle", instance.Id);
        Assert.Equal(3, instance.Version);
        Assert.Equal(2, instance.State["stepIndex"].GetInt32());
        Assert.Equal("acc-1", instance.State["options"].GetProperty("accountId").GetString());
        Assert.Equal(12.5m, instance.State["options"].GetProperty("amount").GetDecimal());
        Assert.True(JsonNode.DeepEquals(written.Values, read.Values));
        Assert.Equal(startedAt, read.StartedAt);
        // Web defaults: the stored document is camelCase JSON under the SDK's key.
        var stored = (await _storage.ReadAsync(["msteams/conversations/conv-1"]))["msteams/conversations/conv-1"];
        Assert.StartsWith("""{"DialogState":{"stack":[{"id":"settle","state":{"stepIndex":2""", stored.Json);
    }

    [Fact]
    public async Task Save_writes_only_when_the_json_changed()
    {
        var count = _conversation.CreateProperty<int>("count");
        var turn = TestTurnContext.Message("conv-1");
        Assert.Equal(0, await count.GetAsync(turn, () => 0));
        await _conversation.SaveChangesAsync(turn);
        await _conversation.SaveChangesAsync(turn);
        Assert.Equal(1, _storage.Writes);

        var reading = TestTurnContext.Message("conv-1");
        Assert.Equal(0, await count.GetAsync(reading, () => 99));
        await count.SetAsync(reading, 0);
        await _conversation.SaveChangesAsync(reading);
        Assert.Equal(1, _storage.Writes);

        await count.SetAsync(reading, 1);
        await _conversation.SaveChangesAsync(reading);
        Assert.Equal(2, _storage.Writes);

        await _conversation.SaveChangesAsync(reading, force: true);
        Assert.Equal(3, _storage.Writes);

        // Loading a conversation that has no state never creates a document.
        var fresh = TestTurnContext.Message("conv-empty");
        await _conversation.LoadAsync(fresh);
        await _conversation.SaveChangesAsync(fresh);
        Assert.Equal(3, _storage.Writes);
        Assert.Empty(await _storage.ReadAsync(["msteams/conversations/conv-empty"]));
    }

    [Fact]
    public async Task Text_outside_ascii_and_documents_written_by_others_are_compared_as_text()
    {
        var name = _conversation.CreateProperty<string>("name");
        var turn = TestTurnContext.Message("conv-1");
        await name.SetAsync(turn, "Één €");
        await _conversation.SaveChangesAsync(turn);
        Assert.Equal(1, _storage.Writes);

        var unchanged = TestTurnContext.Message("conv-1");
        Assert.Equal("Één €", await name.GetAsync(unchanged, () => "?"));
        await _conversation.SaveChangesAsync(unchanged);
        Assert.Equal(1, _storage.Writes);

        // Stored by another writer, unescaped and spaced: the first save rewrites it once in the canonical form, the
        // value intact, and the next one finds nothing changed.
        var key = "msteams/conversations/conv-2";
        await _storage.WriteAsync(new Dictionary<string, StoreItem> { [key] = new("""{ "name": "Één €" }""", null) });
        var rewritten = TestTurnContext.Message("conv-2");
        Assert.Equal("Één €", await name.GetAsync(rewritten, () => "?"));
        await _conversation.SaveChangesAsync(rewritten);
        await _conversation.SaveChangesAsync(rewritten);
        Assert.Equal(3, _storage.Writes);
        Assert.Equal("Één €", JsonNode.Parse((await _storage.ReadAsync([key]))[key].Json)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task State_is_read_once_per_turn_unless_forced()
    {
        var count = _conversation.CreateProperty<int>("count");
        var turn = TestTurnContext.Message("conv-1");
        await count.GetAsync(turn, () => 0);
        await count.GetAsync(turn, () => 0);
        await _conversation.LoadAsync(turn);
        Assert.Equal(1, _storage.Reads);

        await _conversation.LoadAsync(turn, force: true);
        Assert.Equal(2, _storage.Reads);
    }

    [Fact]
    public async Task A_value_changed_in_place_is_saved_without_setting_it_again()
    {
        var seen = _conversation.CreateProperty<List<string>>("seen");
        var turn = TestTurnContext.Message("conv-1");
        (await seen.GetAsync(turn, () => [])).Add("a");
        await _conversation.SaveChangesAsync(turn);

        var next = TestTurnContext.Message("conv-1");
        (await seen.GetAsync(next, () => [])).Add("b");
        await _conversation.SaveChangesAsync(next);

        Assert.Equal(["a", "b"], await seen.GetAsync(TestTurnContext.Message("conv-1"), () => []));
    }

    [Fact]
    public async Task A_save_on_stale_state_throws_and_keeps_the_newer_update()
    {
        var count = _conversation.CreateProperty<int>("count");
        var setup = TestTurnContext.Message("conv-1");
        await count.SetAsync(setup, 10);
        await _conversation.SaveChangesAsync(setup);

        var first = TestTurnContext.Message("conv-1");
        var second = TestTurnContext.Message("conv-1");
        await count.SetAsync(first, await count.GetAsync(first, () => 0) + 1);
        await count.SetAsync(second, await count.GetAsync(second, () => 0) + 5);
        await _conversation.SaveChangesAsync(first);

        await Assert.ThrowsAsync<StorageConflictException>(() => _conversation.SaveChangesAsync(second));
        Assert.Equal(11, await count.GetAsync(TestTurnContext.Message("conv-1"), () => 0));

        // The retry: reload, re-apply, save. Both updates survive.
        await _conversation.LoadAsync(second, force: true);
        await count.SetAsync(second, await count.GetAsync(second, () => 0) + 5);
        await _conversation.SaveChangesAsync(second);
        Assert.Equal(16, await count.GetAsync(TestTurnContext.Message("conv-1"), () => 0));
    }

    [Fact]
    public async Task Two_first_turns_of_a_new_conversation_cannot_both_create_its_state()
    {
        var name = _conversation.CreateProperty<string>("name");
        var first = TestTurnContext.Message("conv-new");
        var second = TestTurnContext.Message("conv-new");
        await name.SetAsync(first, "first");
        await name.SetAsync(second, "second");

        await _conversation.SaveChangesAsync(first);
        await Assert.ThrowsAsync<StorageConflictException>(() => _conversation.SaveChangesAsync(second));
        Assert.Equal("first", await name.GetAsync(TestTurnContext.Message("conv-new"), () => ""));
    }

    [Fact]
    public async Task A_second_save_in_one_turn_uses_the_etag_of_the_first()
    {
        var count = _conversation.CreateProperty<int>("count");
        var turn = TestTurnContext.Message("conv-1");
        await count.SetAsync(turn, 1);
        await _conversation.SaveChangesAsync(turn);
        await count.SetAsync(turn, 2);
        await _conversation.SaveChangesAsync(turn);

        Assert.Equal(2, await count.GetAsync(TestTurnContext.Message("conv-1"), () => 0));
    }

    [Fact]
    public void Conversation_and_user_state_use_the_sdk_keys()
    {
        var turn = TestTurnContext.Message("a:1Xyz", userId: "29:1abc");

        Assert.Equal("msteams/conversations/a:1Xyz", _conversation.GetStorageKey(turn));
        Assert.Equal("msteams/users/29:1abc", _user.GetStorageKey(turn));
        turn.Activity.Conversation = null;
        Assert.Throws<InvalidOperationException>(() => _conversation.GetStorageKey(turn));
    }

    [Fact]
    public async Task User_state_follows_the_user_across_conversations()
    {
        var locale = _user.CreateProperty<string>("locale");
        var inChat = TestTurnContext.Message("chat-1", userId: "29:u");
        await locale.SetAsync(inChat, "nl-NL");
        await _user.SaveChangesAsync(inChat);

        Assert.Equal("nl-NL", await locale.GetAsync(TestTurnContext.Message("channel-9", userId: "29:u"), () => "en-US"));
        Assert.Equal("en-US", await locale.GetAsync(TestTurnContext.Message("chat-1", userId: "29:other"), () => "en-US"));
    }

    [Fact]
    public async Task Clearing_deleting_and_removing_a_property_are_stored()
    {
        var a = _conversation.CreateProperty<string>("a");
        var b = _conversation.CreateProperty<string>("b");
        var turn = TestTurnContext.Message("conv-1");
        await a.SetAsync(turn, "x");
        await b.SetAsync(turn, "y");
        await _conversation.SaveChangesAsync(turn);

        var removing = TestTurnContext.Message("conv-1");
        await a.DeleteAsync(removing);
        await _conversation.SaveChangesAsync(removing);
        Assert.Equal("""{"b":"y"}""", (await _storage.ReadAsync(["msteams/conversations/conv-1"])).Values.Single().Json);

        var clearing = TestTurnContext.Message("conv-1");
        await _conversation.ClearStateAsync(clearing);
        await _conversation.SaveChangesAsync(clearing);
        Assert.Equal("{}", (await _storage.ReadAsync(["msteams/conversations/conv-1"])).Values.Single().Json);

        var deleting = TestTurnContext.Message("conv-1");
        await _conversation.DeleteAsync(deleting);
        Assert.Empty(await _storage.ReadAsync(["msteams/conversations/conv-1"]));
        Assert.Equal("default", await a.GetAsync(deleting, () => "default"));
    }

    [Fact]
    public async Task A_state_set_saves_conversation_and_user_in_one_write_or_not_at_all()
    {
        var set = new BotStateSet(_conversation, _user);
        var step = _conversation.CreateProperty<int>("step");
        var visits = _user.CreateProperty<int>("visits");
        var turn = TestTurnContext.Message("conv-1", userId: "29:u");
        await step.SetAsync(turn, 1);
        await visits.SetAsync(turn, 1);
        await set.SaveAllChangesAsync(turn);
        Assert.Equal(1, _storage.Writes);

        var stale = TestTurnContext.Message("conv-1", userId: "29:u");
        await set.LoadAllAsync(stale);
        var other = TestTurnContext.Message("conv-2", userId: "29:u");
        await visits.SetAsync(other, 7);
        await _user.SaveChangesAsync(other);

        await step.SetAsync(stale, 2);
        await visits.SetAsync(stale, 2);
        await Assert.ThrowsAsync<StorageConflictException>(() => set.SaveAllChangesAsync(stale));

        var check = TestTurnContext.Message("conv-1", userId: "29:u");
        Assert.Equal(1, await step.GetAsync(check, () => 0));
        Assert.Equal(7, await visits.GetAsync(check, () => 0));
    }

    [Fact]
    public async Task The_auto_save_bot_saves_after_a_turn_and_not_after_a_failed_one()
    {
        var count = _conversation.CreateProperty<int>("count");
        var bot = new AutoSaveStateBot(new DelegateBot(async (turn, ct) =>
        {
            await count.SetAsync(turn, await count.GetAsync(turn, () => 0, ct) + 1, ct);
            if (turn.Activity.Text == "fail") throw new InvalidOperationException("turn failed");
        }), new BotStateSet(_conversation, _user));

        await bot.OnTurnAsync(TestTurnContext.Message("conv-1"), CancellationToken.None);
        var failing = TestTurnContext.Message("conv-1");
        failing.Activity.Text = "fail";
        await Assert.ThrowsAsync<InvalidOperationException>(() => bot.OnTurnAsync(failing, CancellationToken.None));

        Assert.Equal(1, await count.GetAsync(TestTurnContext.Message("conv-1"), () => 0));
    }

    [Fact]
    public void Keys_follow_the_SDK_and_an_activity_without_their_parts_is_told_apart_before_any_key_is_built()
    {
        var conversation = new ConversationState(_storage);
        var user = new UserState(_storage);
        var turn = TestTurnContext.Message("conv-1");
        Assert.True(conversation.HasStorageKey(turn));
        Assert.Equal($"{turn.Activity.ChannelId}/conversations/conv-1", conversation.GetStorageKey(turn));
        Assert.Equal($"{turn.Activity.ChannelId}/users/{turn.Activity.From!.Id}", user.GetStorageKey(turn));

        var anonymous = TestTurnContext.Message("conv-1");
        anonymous.Activity.From = null;
        Assert.True(conversation.HasStorageKey(anonymous));
        Assert.False(user.HasStorageKey(anonymous));
        Assert.Contains("no from.id", Assert.Throws<InvalidOperationException>(() => user.GetStorageKey(anonymous)).Message, StringComparison.Ordinal);

        var channelless = TestTurnContext.Message("conv-1");
        channelless.Activity.ChannelId = null;
        Assert.False(conversation.HasStorageKey(channelless));
        Assert.Contains("no channelId", Assert.Throws<InvalidOperationException>(() => conversation.GetStorageKey(channelless)).Message, StringComparison.Ordinal);
    }
}
