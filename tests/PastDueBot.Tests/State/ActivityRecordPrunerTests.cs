using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.Infrastructure;
using PastDueBot.Tests.Postgres;

namespace PastDueBot.Tests.State;

/// <summary>
/// Expired redelivery records are deleted from the documents table; fresh ones and other documents stay
/// (PostgreSQL: <see cref="PostgresActivityRecordPrunerTests"/>).
/// </summary>
public abstract class ActivityRecordPrunerTests
{
    protected abstract Task<ISqlDatabase> OpenDatabaseAsync();

    [DatabaseFact]
    public async Task Expired_records_are_pruned_in_batches_and_fresh_ones_and_other_documents_kept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var sql = new SqlStorage(await OpenDatabaseAsync(), clock);
        var conversation = new ConversationState(sql);
        var dedupe = new StorageActivityDeduplicator(sql, clock);
        async Task RecordAsync(TestTurnContext context)
        {
            Assert.True(await dedupe.TryBeginAsync(context, CancellationToken.None));
            await dedupe.CompleteAsync(context, CancellationToken.None);
        }

        foreach (var i in Enumerable.Range(0, 1200)) await RecordAsync(TestTurnContext.Message($"a:old-{i}"));
        var state = TestTurnContext.Message("a:state");
        await conversation.CreateProperty<int>("step").SetAsync(state, 1);
        await conversation.SaveChangesAsync(state);
        clock.Advance(StorageActivityDeduplicator.Window + TimeSpan.FromMinutes(1));
        var fresh = TestTurnContext.Message("a:fresh");
        await RecordAsync(fresh);

        var pruner = new ActivityRecordPruner(sql, clock, NullLogger<ActivityRecordPruner>.Instance);
        Assert.Equal(1200, await pruner.PruneAsync(CancellationToken.None));
        Assert.Equal(0, await pruner.PruneAsync(CancellationToken.None));

        Assert.False(await dedupe.TryBeginAsync(new TestTurnContext(fresh.Activity), CancellationToken.None));
        Assert.Equal(1, await conversation.CreateProperty<int>("step").GetAsync(TestTurnContext.Message("a:state"), () => 0));
    }
}

public sealed class SqliteActivityRecordPrunerTests : ActivityRecordPrunerTests, IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    protected override Task<ISqlDatabase> OpenDatabaseAsync() => Task.FromResult<ISqlDatabase>(new SqliteDatabase(_file.Path));
}
