using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PastDueBot.Alerts.Outbox;

/// <summary>
/// Teams' documented limits, kept before a request is made rather than learnt from 429s: a token bucket per tenant
/// (50 requests per second, refilled every 50 ms so bursts stay small) and a sliding window per thread
/// (7 sends per second). Per process: several instances should share the tenant budget through the option.
/// Tenant buckets are plain limiters with their own replenishment timer: a PartitionedRateLimiter replenishes its
/// partitions only every 100 ms, which capped a 50/s bucket refilled every 40 ms at 20/s (seen in the benchmark).
/// </summary>
public sealed class SendLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TokenBucketRateLimiter>> _tenants = new(StringComparer.Ordinal);
    private readonly TokenBucketRateLimiterOptions _tenantOptions;
    private readonly PartitionedRateLimiter<string> _threads;

    public SendLimiter(IOptions<AlertsOptions> options)
    {
        var perSecond = Math.Max(1, options.Value.TenantRequestsPerSecond);
        var perThread = Math.Max(1, options.Value.ThreadRequestsPerSecond);
        var perTick = Math.Max(1, (int)Math.Round(perSecond / 20));
        var tick = TimeSpan.FromSeconds(perTick / perSecond);
        _tenantOptions = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perTick,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = tick,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
        _threads = PartitionedRateLimiter.Create<string, string>(thread => RateLimitPartition.GetSlidingWindowLimiter(thread, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perThread,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = 4,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Waits for a permit of the thread, then of the tenant (so a busy thread does not hold tenant tokens).</summary>
    public async Task WaitAsync(string tenantId, string threadKey, CancellationToken cancellationToken)
    {
        using var thread = await _threads.AcquireAsync(threadKey, 1, cancellationToken).ConfigureAwait(false);
        var bucket = _tenants.GetOrAdd(tenantId, _ => new Lazy<TokenBucketRateLimiter>(() => new TokenBucketRateLimiter(_tenantOptions))).Value;
        using var tenant = await bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!thread.IsAcquired || !tenant.IsAcquired) throw new InvalidOperationException("The send rate limiter refused a permit.");
    }

    public void Dispose()
    {
        foreach (var bucket in _tenants.Values.Where(lazy => lazy.IsValueCreated)) bucket.Value.Dispose();
        _threads.Dispose();
    }
}
