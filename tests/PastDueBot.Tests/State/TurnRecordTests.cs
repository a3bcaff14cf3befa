using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

/// <summary>
/// The redelivery record of a turn travels with the turn's state: one read for all states, one atomic write for
/// state and record, and records that expired are pruned from the SQL table.
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
        return new Turn(storage, conversation, user, new BotStateSet(conversation, user), new StorageActivityDeduplicator(storage, time ?? TimeProvider.System));
    }

    [Fact]
    public async Task A_turn_that_changes_state_reads_twice_and_writes_state_and_record_in_one_batch()
    {
        var turn = On(new SqlStorage(new SqliteDatabase(_file.Path)));
        var context = TestTurnContext.Message("a:1");
        var bot = new AutoSaveStateBot(new DelegateBot(async (ctx, ct) =>
            await turn.Conversation.CreateProperty<int>("step").SetAsync(ctx, 2, ct)), turn.States);

        Assert.True(await turn.Dedupe.TryBeginAsync(context, CancellationToken.None));
        await bot.OnTurnAsync(context, CancellationToken.None);
        await turn.Dedupe.CompleteAsync(context, CancellationToken.None);

        Assert.Equal(2, turn.Storage.Reads); // the record, then both states together
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
}
