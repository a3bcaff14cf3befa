using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// Keeps SQLite's write-ahead log short from the background, so no turn pays for a checkpoint's writes and fsyncs
/// (see <see cref="SqliteDatabase.CheckpointAsync"/>). On PostgreSQL it does nothing.
/// </summary>
public sealed class SqliteCheckpointer(ISqlDatabase database, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>
    /// Often enough that the WAL stays a few megabytes at hundreds of turns a second, and that little is left for
    /// the commit that reaches the backstop under full load (<see cref="SqliteDatabase.BackstopCheckpointPages"/>):
    /// every turn waits while it copies that. Over 30,000-turn runs, a second between checkpoints gave the slowest
    /// turn 146–155 ms and p99 70–78 ms; 200 ms gave 96–102 ms and 59–66 ms, for the same CPU.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not SqliteDatabase sqlite) return;
        await Task.Yield(); // SQLite calls complete synchronously: don't hold up the host's start-up
        using var timer = new PeriodicTimer(Interval, time);
        long? copiedAllAt = null; // leases ended when a checkpoint last left nothing in the WAL uncopied
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // An idle bot opens no connection five times a second for nothing.
                var leases = sqlite.LeasesEnded;
                if (leases == copiedAllAt) continue;
                var (walFrames, checkpointed) = await sqlite.CheckpointAsync(stoppingToken).ConfigureAwait(false);
                copiedAllAt = walFrames == checkpointed ? leases : null;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick retries; until then commits checkpoint by themselves past the backstop.
                logger.LogWarning(ex, "SQLite checkpoint of {Path} failed", sqlite.Path);
            }
        }
    }
}
