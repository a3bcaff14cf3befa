using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

/// <summary>
/// The shared connection's counters (PastDueBot-Sqlite) count every lease, the leases that found the connection
/// taken, and the time waited and held. They run alone in their collection, so the totals' change is this test's.
/// </summary>
[Collection(SqliteFileCollection.Name)]
public sealed class SqliteConnectionEventsTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_lease_that_finds_the_connection_taken_is_counted_with_its_wait_and_both_holds()
    {
        using var database = new SqliteDatabase(_file.Path);
        await (await database.OpenAsync()).DisposeAsync(); // the connection is open before the counting starts
        var before = SqliteConnectionEvents.Log.Totals();

        Task<System.Data.Common.DbConnection> second;
        await using (await database.OpenAsync())
        {
            second = database.OpenAsync();
            await Task.Delay(150);
            Assert.False(second.IsCompleted);
        }
        await using (await second)
        {
            await Task.Delay(50);
        }

        var after = SqliteConnectionEvents.Log.Totals();
        Assert.Equal(2, after.Leases - before.Leases);
        Assert.Equal(1, after.Waits - before.Waits);
        Assert.InRange((after.Waiting - before.Waiting).TotalMilliseconds, 140, 5_000);
        Assert.InRange((after.Holding - before.Holding).TotalMilliseconds, 190, 5_000);
    }

    [Fact]
    public async Task The_counters_are_published_as_event_counters()
    {
        using var listener = new CounterListener();
        using var database = new SqliteDatabase(_file.Path);
        await (await database.OpenAsync()).DisposeAsync();

        var names = await listener.NamesAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("sqlite-leases", names);
        Assert.Contains("sqlite-lease-waits", names);
        Assert.Contains("sqlite-wait-ms", names);
        Assert.Contains("sqlite-hold-ms", names);
    }

    private sealed class CounterListener : EventListener
    {
        private readonly ConcurrentDictionary<string, bool> _names = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == SqliteConnectionEvents.SourceName)
            {
                EnableEvents(eventSource, EventLevel.Informational, EventKeywords.All, new Dictionary<string, string?> { ["EventCounterIntervalSec"] = "0.2" });
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "EventCounters" || eventData.Payload?[0] is not IDictionary<string, object> payload) return;
            if (payload.TryGetValue("Name", out var name) && name is string text) _names[text] = true;
        }

        public async Task<IReadOnlyCollection<string>> NamesAsync(TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (_names.Count < 4 && DateTime.UtcNow < until) await Task.Delay(50);
            return _names.Keys.ToList();
        }
    }
}
