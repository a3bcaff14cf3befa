using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Storage;
using PastDueBot.Storage.Coordination;

namespace PastDueBot.Alerts.Scanning;

/// <summary>
/// Scans billing every <see cref="AlertsOptions.ScanInterval"/> for every tenant with subscribed channels, on the
/// one instance holding the "alerts-scanner" lease (renewed each round; taken over when its holder dies).
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

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ScanInterval;
        var leaseFor = interval + interval + TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await lease.TryAcquireAsync(LeaseName, _holder, leaseFor, stoppingToken).ConfigureAwait(false) is not null)
                {
                    foreach (var tenant in await store.GetSubscribedTenantsAsync(stoppingToken).ConfigureAwait(false))
                    {
                        await tracker.ScanTenantAsync(tenant, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The past-due scan failed; next try in {Interval}", interval);
            }

            try { await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        try { await lease.ReleaseAsync(LeaseName, _holder, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception ex) { logger.LogWarning(ex, "Releasing the scanner lease failed; it expires on its own"); }
    }
}
