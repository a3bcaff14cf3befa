using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Alerts;
using PastDueBot.Alerts.Outbox;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// The send limiter's arithmetic on a fake clock: the permits it grants, counted in every window, never exceed Teams'
/// per-tenant and per-conversation limits (plus the margin), and a pause holds back the whole tenant.
/// </summary>
public sealed class SendLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private SendLimiter Limiter(double tenantPerSecond, int threadPerSecond = 7) =>
        new(Options.Create(new AlertsOptions { TenantRequestsPerSecond = tenantPerSecond, ThreadRequestsPerSecond = threadPerSecond }), _time);

    /// <summary>
    /// Moves the fake clock in small steps until every wait is granted (continuations get a moment to run); each
    /// request is "answered" as soon as its permit comes.
    /// </summary>
    private async Task<DateTimeOffset[]> GrantAllAsync(IReadOnlyList<Task<SendPermit>> permits)
    {
        var waits = permits.Select(async permit =>
        {
            using var granted = await permit;
            return granted.GrantedAt;
        }).ToList();
        for (var step = 0; waits.Any(wait => !wait.IsCompleted); step++)
        {
            Assert.True(step < 100_000, "the limiter never granted every permit");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }
        return await Task.WhenAll(waits);
    }

    private static int MostIn(IEnumerable<DateTimeOffset> grants, TimeSpan window)
    {
        var times = grants.Order().ToArray();
        var most = 0;
        for (int first = 0, last = 0; first < times.Length; first++)
        {
            while (last < times.Length && times[last] - times[first] < window) last++;
            most = Math.Max(most, last - first);
        }
        return most;
    }

    [Fact]
    public async Task A_tenant_gets_its_rate_evenly_spaced_across_its_conversations()
    {
        var limiter = Limiter(tenantPerSecond: 20);

        var grants = await GrantAllAsync([.. Enumerable.Range(0, 60).Select(i => limiter.WaitAsync("tenant-1", $"19:c{i}@thread.tacv2", CancellationToken.None))]);

        Assert.True(MostIn(grants, TimeSpan.FromSeconds(1) + SendLimiter.Margin) <= 20);
        var ordered = grants.Order().ToArray();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second - pair.First >= (TimeSpan.FromSeconds(1) + SendLimiter.Margin) / 20));
    }

    [Fact]
    public async Task Tenants_do_not_share_a_budget()
    {
        var limiter = Limiter(tenantPerSecond: 5);

        var grants = await GrantAllAsync([.. Enumerable.Range(0, 10).Select(i => limiter.WaitAsync($"tenant-{i % 2}", $"19:c{i}@thread.tacv2", CancellationToken.None))]);

        // Five a second each: ten permits of two tenants fit in what five of one tenant take.
        Assert.True(grants.Max() - grants.Min() < TimeSpan.FromSeconds(1.1));
    }

    [Fact]
    public async Task A_conversation_keeps_Teams_per_thread_windows()
    {
        var limiter = Limiter(tenantPerSecond: 1000);

        var grants = await GrantAllAsync([.. Enumerable.Range(0, 62).Select(_ => limiter.WaitAsync("tenant-1", "19:general@thread.tacv2", CancellationToken.None))]);

        Assert.True(MostIn(grants, TimeSpan.FromSeconds(1) + SendLimiter.Margin) <= 7);
        Assert.True(MostIn(grants, TimeSpan.FromSeconds(2) + SendLimiter.Margin) <= 8);
        Assert.True(MostIn(grants, TimeSpan.FromSeconds(30) + SendLimiter.Margin) <= 60);
        Assert.Equal(7, MostIn(grants, TimeSpan.FromSeconds(1))); // the first second's burst is used
        Assert.True(grants.Max() - grants.Min() >= TimeSpan.FromSeconds(30)); // the 61st waited for the 30-second window
    }

    [Fact]
    public async Task A_pause_holds_back_every_conversation_of_the_tenant_only()
    {
        var limiter = Limiter(tenantPerSecond: 50);
        await GrantAllAsync([limiter.WaitAsync("tenant-1", "19:a@thread.tacv2", CancellationToken.None)]);

        limiter.Pause("tenant-1", TimeSpan.FromSeconds(3));
        var pausedAt = _time.GetUtcNow();
        Assert.Equal(pausedAt + TimeSpan.FromSeconds(3), limiter.PausedUntil("tenant-1"));
        Assert.Null(limiter.PausedUntil("tenant-2"));
        var grants = await GrantAllAsync(
        [
            .. Enumerable.Range(0, 5).Select(i => limiter.WaitAsync("tenant-1", $"19:b{i}@thread.tacv2", CancellationToken.None)),
            limiter.WaitAsync("tenant-2", "19:other@thread.tacv2", CancellationToken.None),
        ]);

        Assert.All(grants.Take(5), grant => Assert.True(grant >= pausedAt + TimeSpan.FromSeconds(3)));
        Assert.True(grants[5] < pausedAt + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_way_to_the_next()
    {
        var limiter = Limiter(tenantPerSecond: 1);
        await GrantAllAsync([limiter.WaitAsync("tenant-1", "19:a@thread.tacv2", CancellationToken.None)]);
        using var cancel = new CancellationTokenSource();

        var cancelled = limiter.WaitAsync("tenant-1", "19:a@thread.tacv2", cancel.Token);
        var next = limiter.WaitAsync("tenant-1", "19:b@thread.tacv2", CancellationToken.None);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var granted = await GrantAllAsync([next]);
        Assert.True(granted[0] >= Start + TimeSpan.FromSeconds(1.1));
    }

    [Fact]
    public async Task A_cold_tenants_first_request_goes_alone_until_answered()
    {
        var limiter = Limiter(tenantPerSecond: 50);
        var first = await limiter.WaitAsync("tenant-1", "19:a@thread.tacv2", CancellationToken.None);

        var second = limiter.WaitAsync("tenant-1", "19:b@thread.tacv2", CancellationToken.None);
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100)); // two seconds: the rate would have allowed ninety
            await Task.Delay(1);
        }
        Assert.False(second.IsCompleted);

        first.Dispose(); // answered
        var granted = await GrantAllAsync([second, .. Enumerable.Range(0, 5).Select(i => limiter.WaitAsync("tenant-1", $"19:c{i}@thread.tacv2", CancellationToken.None))]);
        Assert.All(granted, at => Assert.True(at >= Start + TimeSpan.FromSeconds(2)));
        // Warm now: the rest follow at the rate, not one answer at a time.
        Assert.True(granted.Max() - granted.Min() < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_first_request_without_an_answer_holds_the_tenant_back_only_so_long()
    {
        var limiter = Limiter(tenantPerSecond: 50);
        using var first = await limiter.WaitAsync("tenant-1", "19:a@thread.tacv2", CancellationToken.None);

        var granted = await GrantAllAsync([limiter.WaitAsync("tenant-1", "19:b@thread.tacv2", CancellationToken.None)]);

        Assert.True(granted[0] >= Start + SendLimiter.WarmUpWait);
        Assert.True(granted[0] < Start + SendLimiter.WarmUpWait + TimeSpan.FromSeconds(1));
    }
}
