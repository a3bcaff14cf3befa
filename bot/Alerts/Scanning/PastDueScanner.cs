using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Storage;
using PastDueBot.Storage.Coordination;

namespace PastDueBot.Alerts.Scanning;

/// <summary>
/// Scans billing every <see cref="AlertsOptions.ScanInterval"/> for every tenant with subscribed channels, on the
/// one instance holding the "alerts-scanner" lease. The lease lives <see cref="AlertsOptions.ScannerLeaseTtl"/>; the
/// holder renews it every third of that (also while a scan runs) and the others ask for it just as often, so when
/// the holder dies another instance scans within the TTL and a third, however long the scan interval is.
/// Correctness does not depend on the lease (every decision is idempotent); it only saves duplicate work.
/// </summary>
public sealed class PastDueScanner(
    AlertsStore store,
    EpisodeTracker tracker,
    ILeaderLease lease,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<PastDueScanner> logger) : BackgroundService
{
    public const string LeaseName = "alerts-scanner";

    /// <summary>This process's holder name; the process id lets an operator (and a test) tell instances apart.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ScanInterval;
        var ttl = options.Value.ScannerLeaseTtl;
        var tick = ttl / 3;
        long? generation = null;
        var nextScan = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var grant = await lease.TryAcquireAsync(LeaseName, Holder, ttl, stoppingToken).ConfigureAwait(false);
                if (grant is null)
                {
                    if (generation is not null) logger.LogWarning("The alert scanner lease went to another instance");
                    generation = null;
                }
                else
                {
                    if (grant.Generation != generation)
                    {
                        // Taken over (or first start): the last holder's schedule is unknown, so scan now.
                        logger.LogInformation("This instance holds the alert scanner lease (generation {Generation})", grant.Generation);
                        generation = grant.Generation;
                        nextScan = time.GetUtcNow();
                    }
                    if (time.GetUtcNow() >= nextScan)
                    {
                        try
                        {
                            if (!await ScanHoldingLeaseAsync(ttl, tick, stoppingToken).ConfigureAwait(false)) generation = null;
                        }
                        finally
                        {
                            nextScan = time.GetUtcNow() + interval; // a failed scan too waits for the next round
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The past-due scanner failed; the lease is tried again in {Tick}, a failed scan in {Interval}", tick, interval);
            }

            var wait = generation is null ? tick : Clamp(nextScan - time.GetUtcNow(), TimeSpan.Zero, tick);
            try { await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        try { await lease.ReleaseAsync(LeaseName, Holder, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception ex) { logger.LogWarning(ex, "Releasing the scanner lease failed; it expires on its own"); }
    }

    /// <summary>
    /// One scan of every tenant, renewing the lease alongside so a long scan keeps it; cancelled (false) when another
    /// instance got the lease meanwhile.
    /// </summary>
    private async Task<bool> ScanHoldingLeaseAsync(TimeSpan ttl, TimeSpan tick, CancellationToken stoppingToken)
    {
        using var scan = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = RenewUntilCancelledAsync(scan, ttl, tick);
        try
        {
            foreach (var tenant in await store.GetSubscribedTenantsAsync(scan.Token).ConfigureAwait(false))
            {
                await tracker.ScanTenantAsync(tenant, scan.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException) when (scan.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("The past-due scan stopped: another instance took the scanner lease mid-scan");
            return false;
        }
        finally
        {
            await scan.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    private async Task RenewUntilCancelledAsync(CancellationTokenSource scan, TimeSpan ttl, TimeSpan tick)
    {
        try
        {
            while (true)
            {
                await Task.Delay(tick, time, scan.Token).ConfigureAwait(false);
                if (await lease.TryAcquireAsync(LeaseName, Holder, ttl, scan.Token).ConfigureAwait(false) is null)
                {
                    await scan.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The scan ended (or the process stops).
        }
        catch (Exception ex)
        {
            // The database is unreachable: the scan will fail on its own; the lease simply expires if this persists.
            logger.LogWarning(ex, "Renewing the alert scanner lease during a scan failed");
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
