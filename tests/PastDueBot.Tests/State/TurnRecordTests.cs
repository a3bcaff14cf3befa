using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

/// <summary>
/// The redelivery record of a turn travels with the turn's state: one read for the record and all states, one atomic
/// write for state and record, and records that expired are pruned from the SQL table.
/// </summary>
public sealed class TurnRecordTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private sealed record Turn(CountingStorage Storage, ConversationState Conversation, UserState User, BotStateSet States, StorageActivityDeduplicator Dedupe);

    private static Turn On(SqlStorage sql, TimeProvider? time = null)
    {
        var storage = new CountingStorage(sql);
        var conversation = new ConversationState(storage);
        var user = new UserState(storage);
        var states = new BotStateSet(conversation, user);
        return new Turn(storage, conversation, user, states, new StorageActivityDeduplicator(storage, time ?? TimeProvider.System, readAhead: states));
    }

    [Fact]
    public async Task A_turn_that_changes_state_reads_once_and_writes_state_and_record_in_one_batch()
    {
        var turn = On(new SqlStorage(new SqliteDatabase(_file.Path)));
        var context = TestTurnContext.Message("a:1");
        var bot = new AutoSaveStateBot(new DelegateBot(async (ctx, ct) =>
            await turn.Conversation.CreateProperty<int>("step").SetAsync(ctx, 2, ct)), turn.States);

        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await bot.OnTurnAsync(context, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(context, CancellationToken.None);

        Assert.Equal(1, turn.Storage.Reads); // the record and both states together
        Assert.Equal(1, turn.Storage.Writes);
        Assert.False(await turn.Dedupe.TryBeginAsync(new TestTurnContext(context.Activity), CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_that_changes_nothing_writes_only_its_record_and_a_failed_turn_writes_nothing()
    {
        var turn = On(new SqlStorage(new SqliteDatabase(_file.Path)));
        var quiet = TestTurnContext.Message("a:2");
        var failing = TestTurnContext.Message("a:3");

        Assert.True(await turn.Dedupe.TryBeginAsync(quiet, CancellationToken.None));
        await new AutoSaveStateBot(new DelegateBot((_, _) => Task.CompletedTask), turn.States).OnTurnAsync(quiet, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(quiet, CancellationToken.None);
        Assert.Equal(1, turn.Storage.Writes);

        Assert.True(await turn.Dedupe.TryBeginAsync(failing, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new AutoSaveStateBot(new DelegateBot(async (ctx, ct) =>
        {
            await turn.Conversation.CreateProperty<int>("step").SetAsync(ctx, 3, ct);
            throw new InvalidOperationException("the turn fails after changing state");
        }), turn.States).OnTurnAsync(failing, CancellationToken.None));
        Assert.Equal(1, turn.Storage.Writes);
        Assert.True(await turn.Dedupe.TryBeginAsync(new TestTurnContext(failing.Activity), CancellationToken.None)); // runs again
    }

    [Fact]
    public async Task The_next_turn_reads_the_state_ahead_with_its_record_and_a_forced_reload_reads_storage_again()
    {
        var turn = On(new SqlStorage(new SqliteDatabase(_file.Path)));
        var step = turn.Conversation.CreateProperty<int>("step");
        var theme = turn.User.CreateProperty<string>("theme");
        var first = TestTurnContext.Message("a:4");
        Assert.True(await turn.Dedupe.TryBeginAsync(first, CancellationToken.None));
        await new AutoSaveStateBot(new DelegateBot(async (ctx, ct) =>
        {
            await step.SetAsync(ctx, 2, ct);
            await theme.SetAsync(ctx, "dark", ct);
        }), turn.States).OnTurnAsync(first, CancellationToken.None);

        var readsBefore = turn.Storage.Reads;
        var next = TestTurnContext.Message("a:4");
        Assert.True(await turn.Dedupe.TryBeginAsync(next, CancellationToken.None));
        await turn.States.LoadAllAsync(next, cancellationToken: CancellationToken.None);
        Assert.Equal(2, await step.GetAsync(next, () => 0, CancellationToken.None));
        Assert.Equal("dark", await theme.GetAsync(next, () => "light", CancellationToken.None));
        Assert.Equal(readsBefore + 1, turn.Storage.Reads);

        // A retry after a conflict must see what storage holds now, not what the turn read ahead.
        await turn.Conversation.LoadAsync(next, force: true, CancellationToken.None);
        Assert.Equal(readsBefore + 2, turn.Storage.Reads);
    }

    [Fact]
    public async Task An_activity_without_a_sender_reads_ahead_only_the_conversation_and_its_user_state_still_fails_as_before()
    {
        var turn = On(new SqlStorage(new SqliteDatabase(_file.Path)));
        var context = TestTurnContext.Message("a:5");
        context.Activity.From = null;

        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await turn.Conversation.LoadAsync(context, cancellationToken: CancellationToken.None);
        Assert.Equal(1, turn.Storage.Reads);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => turn.User.LoadAsync(context, cancellationToken: CancellationToken.None));
        Assert.Contains("from.id", error.Message, StringComparison.Ordinal);
    }

    private sealed class DelegateBot(Func<ITurnContext, CancellationToken, Task> onTurn) : IBot
    {
        public Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) => onTurn(turnContext, cancellationToken);
    }
}
