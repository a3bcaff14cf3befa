using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

/// <summary>
/// The host's redelivery record lives in the conversation's document: a turn reads its states once and writes state
/// and record once; a turn that saves no state still gets its record, without what a failed turn left in its cache.
/// </summary>
public sealed class ConversationRecordTests : IDisposable
{
    private readonly TempSqliteFile _file = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _file.Dispose();

    private sealed record Turn(CountingStorage Storage, ConversationState Conversation, BotStateSet States, ConversationStateDeduplicator Dedupe);

    private Turn On(IStorage inner)
    {
        var storage = new CountingStorage(inner);
        var conversation = new ConversationState(storage);
        var states = new BotStateSet(conversation, new UserState(storage));
        return new Turn(storage, conversation, states, new ConversationStateDeduplicator(states, conversation, _clock));
    }

    private Turn OnSqlite() => On(new SqlStorage(new SqliteDatabase(_file.Path)));

    private static AutoSaveStateBot Bot(Turn turn, Func<ITurnContext, CancellationToken, Task> onTurn) => new(new DelegateBot(onTurn), turn.States);

    private static Task SetStep(Turn turn, ITurnContext context, int step, CancellationToken ct) =>
        turn.Conversation.CreateProperty<int>("step").SetAsync(context, step, ct);

    [Fact]
    public async Task A_turn_reads_its_states_once_and_writes_state_and_record_in_one_write()
    {
        var turn = OnSqlite();
        var context = TestTurnContext.Message("a:1");

        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await Bot(turn, (ctx, ct) => SetStep(turn, ctx, 2, ct)).OnTurnAsync(context, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(context, CancellationToken.None);

        Assert.Equal(1, turn.Storage.Reads); // both states, read by the deduplicator; the bot found them loaded
        Assert.Equal(1, turn.Storage.Writes);
        var stored = await StoredAsync(turn, context);
        Assert.Equal(2, stored.GetProperty("step").GetInt32());
        Assert.True(stored.GetProperty(ConversationStateDeduplicator.PropertyName).TryGetProperty(ConversationStateDeduplicator.RecordId(context.Activity), out _));

        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(context.Activity), CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_that_saves_no_state_gets_its_record_alone_and_a_failed_one_none()
    {
        var turn = OnSqlite();
        var quiet = TestTurnContext.Message("a:2");
        Assert.True(await turn.Dedupe.TryBeginAsync(quiet, CancellationToken.None));
        await Bot(turn, (_, _) => Task.CompletedTask).OnTurnAsync(quiet, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(quiet, CancellationToken.None);
        Assert.Equal(1, turn.Storage.Writes); // the record, written by the bot's own save (the document changed)
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(quiet.Activity), CancellationToken.None));

        // A turn that fails is not recorded (the adapter does not complete it): a redelivery runs it again.
        var failing = TestTurnContext.Message("a:3");
        Assert.True(await turn.Dedupe.TryBeginAsync(failing, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Bot(turn, async (ctx, ct) =>
        {
            await SetStep(turn, ctx, 3, ct);
            throw new InvalidOperationException("the turn fails after changing state");
        }).OnTurnAsync(failing, CancellationToken.None));
        Assert.Equal(1, turn.Storage.Writes);
        Assert.True(await turn.Dedupe.TryBeginAsync(new TestTurnContext(failing.Activity), CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_turn_that_the_error_handler_answered_is_recorded_without_its_half_done_state()
    {
        var turn = OnSqlite();
        var first = TestTurnContext.Message("a:4");
        Assert.True(await turn.Dedupe.TryBeginAsync(first, CancellationToken.None));
        await Bot(turn, (ctx, ct) => SetStep(turn, ctx, 1, ct)).OnTurnAsync(first, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(first, CancellationToken.None);

        // The next turn changes state, throws, and the adapter's error handler answers: the turn counts as completed.
        var failed = new TestTurnContext(TestTurnContext.Message("a:4").Activity);
        Assert.True(await turn.Dedupe.TryBeginAsync(failed, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Bot(turn, async (ctx, ct) =>
        {
            await SetStep(turn, ctx, 99, ct);
            throw new InvalidOperationException("half done");
        }).OnTurnAsync(failed, CancellationToken.None));
        await turn.Dedupe.CompleteAsync(failed, CancellationToken.None);

        var stored = await StoredAsync(turn, failed);
        Assert.Equal(1, stored.GetProperty("step").GetInt32()); // the failed turn's change was not saved with the record
        var records = stored.GetProperty(ConversationStateDeduplicator.PropertyName);
        Assert.True(records.TryGetProperty(ConversationStateDeduplicator.RecordId(first.Activity), out _));
        Assert.True(records.TryGetProperty(ConversationStateDeduplicator.RecordId(failed.Activity), out _));
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(failed.Activity), CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_that_clears_its_state_is_still_recorded()
    {
        var turn = OnSqlite();
        var context = TestTurnContext.Message("a:5");
        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await Bot(turn, (ctx, _) =>
        {
            turn.Conversation.ClearState(ctx);
            return Task.CompletedTask;
        }).OnTurnAsync(context, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(context, CancellationToken.None);

        Assert.Equal(2, turn.Storage.Writes); // the cleared state, then the record on it
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(context.Activity), CancellationToken.None));
    }

    [Fact]
    public async Task Records_expire_after_the_window_and_a_conversation_keeps_at_most_the_newest_hundred()
    {
        var turn = On(new MemoryStorage());
        var first = TestTurnContext.Message("a:6");
        await RunAsync(turn, first);

        _clock.Advance(ConversationStateDeduplicator.Window - TimeSpan.FromMinutes(1));
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(first.Activity), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await turn.Dedupe.TryBeginAsync(new TestTurnContext(first.Activity), CancellationToken.None));

        var last = first;
        for (var i = 0; i < ConversationStateDeduplicator.MaxRecords + 20; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            last = new TestTurnContext(TestTurnContext.Message("a:6").Activity);
            await RunAsync(turn, last);
        }

        var records = (await StoredAsync(turn, last)).GetProperty(ConversationStateDeduplicator.PropertyName);
        Assert.Equal(ConversationStateDeduplicator.MaxRecords, records.EnumerateObject().Count());
        Assert.True(records.TryGetProperty(ConversationStateDeduplicator.RecordId(last.Activity), out _));
    }

    [Fact]
    public async Task Two_deliveries_of_one_activity_on_two_instances_cannot_both_commit()
    {
        var sql = new SqlStorage(new SqliteDatabase(_file.Path));
        var one = On(sql);
        var two = On(sql);
        var activity = TestTurnContext.Message("a:7").Activity;
        var first = new TestTurnContext(activity);
        var second = new TestTurnContext(activity);

        // Both read the conversation before either saved (no lock between them): both start the turn.
        Assert.True(await one.Dedupe.TryBeginAsync(first, CancellationToken.None));
        Assert.True(await two.Dedupe.TryBeginAsync(second, CancellationToken.None));
        await Bot(one, (ctx, ct) => SetStep(one, ctx, 1, ct)).OnTurnAsync(first, CancellationToken.None);
        await Assert.ThrowsAsync<StorageConflictException>(() => Bot(two, (ctx, ct) => SetStep(two, ctx, 1, ct)).OnTurnAsync(second, CancellationToken.None));
        Assert.False(await two.Dedupe.TryBeginAsync(new TestTurnContext(activity), CancellationToken.None));
    }

    [Fact]
    public async Task An_activity_without_a_user_or_channel_is_left_to_the_bots_own_state_load()
    {
        var turn = OnSqlite();
        // No user state key: the conversation is read alone, and the turn (here saving nothing) is still recorded.
        var anonymous = TestTurnContext.Message("a:9");
        anonymous.Activity.From = null;
        Assert.True(await turn.Dedupe.TryBeginAsync(anonymous, CancellationToken.None));
        await turn.Dedupe.CompleteAsync(anonymous, CancellationToken.None);
        Assert.Equal(1, turn.Storage.Writes);
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(anonymous.Activity), CancellationToken.None));

        // No conversation state either: the turn runs, and there is nowhere to record it.
        var channelless = TestTurnContext.Message("a:10");
        channelless.Activity.ChannelId = null;
        Assert.True(await turn.Dedupe.TryBeginAsync(channelless, CancellationToken.None));
        await turn.Dedupe.CompleteAsync(channelless, CancellationToken.None);
        Assert.Equal(1, turn.Storage.Writes);
    }

    [Fact]
    public void A_record_id_is_short_whatever_the_activity_id()
    {
        var activity = TestTurnContext.Message("a:8").Activity;
        activity.Id = new string('x', 10_000);
        Assert.Equal(22, ConversationStateDeduplicator.RecordId(activity).Length);
    }

    private async Task RunAsync(Turn turn, TestTurnContext context)
    {
        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await Bot(turn, (_, _) => Task.CompletedTask).OnTurnAsync(context, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(context, CancellationToken.None);
    }

    private static async Task<JsonElement> StoredAsync(Turn turn, ITurnContext context)
    {
        var key = turn.Conversation.GetStorageKey(context);
        var items = await turn.Storage.ReadAsync([key]);
        return JsonDocument.Parse(items[key].Json).RootElement.Clone();
    }
}
