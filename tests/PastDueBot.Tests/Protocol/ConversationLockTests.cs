using PastDueBot.Protocol.Builder;

namespace PastDueBot.Tests.Protocol;

public sealed class ConversationLockTests
{
    [Fact]
    public async Task Second_holder_waits_until_the_first_releases_and_no_entry_is_left_behind()
    {
        var locks = new InProcessConversationLock();
        var first = await locks.AcquireAsync("msteams/a:1", CancellationToken.None);
        var second = locks.AcquireAsync("msteams/a:1", CancellationToken.None);
        var other = await locks.AcquireAsync("msteams/a:2", CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal(2, locks.ActiveKeys);

        await first.DisposeAsync();
        await using (await second)
        {
            Assert.Equal(2, locks.ActiveKeys);
        }
        await other.DisposeAsync();
        await other.DisposeAsync(); // double dispose is harmless

        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_no_entry()
    {
        var locks = new InProcessConversationLock();
        var held = await locks.AcquireAsync("k", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiter = locks.AcquireAsync("k", cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        await held.DisposeAsync();

        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task Many_keys_under_load_leave_an_empty_table()
    {
        var locks = new InProcessConversationLock();
        var counters = new int[10];
        await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
        {
            var key = i % 10;
            await using var handle = await locks.AcquireAsync($"k{key}", CancellationToken.None);
            var before = counters[key];
            await Task.Yield();
            counters[key] = before + 1; // lost updates would show if two held the same key
        }));

        Assert.All(counters, c => Assert.Equal(50, c));
        Assert.Equal(0, locks.ActiveKeys);
    }
}
