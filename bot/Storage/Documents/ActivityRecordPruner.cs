using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Builder;

namespace PastDueBot.Storage.Documents;

/// <summary>
/// Deletes the redelivery guard's expired records (<see cref="StorageActivityDeduplicator"/>: one per inbound
/// activity, useless after its window), in small batches so a prune never holds SQLite's write lock for long.
/// Runs on every instance; the deletes are idempotent. This host records handled activities in the conversation's
/// document instead (<see cref="Protocol.Builder.State.ConversationStateDeduplicator"/>); the pruner clears what a
/// host with the per-activity records, or a version before, left behind.
/// </summary>
public sealed class ActivityRecordPruner(SqlStorage storage, TimeProvider time, ILogger<ActivityRecordPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int BatchSize = 500;

    /// <summary>One pass: deletes every expired record; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - StorageActivityDeduplicator.Window;
        var total = 0;
        int deleted;
        do
        {
            deleted = await storage.DeleteExpiredAsync(StorageActivityDeduplicator.KeyPrefix, cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // SQLite calls complete synchronously: don't hold up the host's start-up
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var deleted = await PruneAsync(stoppingToken).ConfigureAwait(false);
                if (deleted > 0) logger.LogInformation("Pruned {Count} expired redelivery records", deleted);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next pass retries; turns are unaffected by records that linger a little longer.
                logger.LogWarning(ex, "Could not prune expired redelivery records");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
