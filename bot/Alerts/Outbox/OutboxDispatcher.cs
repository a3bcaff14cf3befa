using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PastDueBot.Alerts.Outbox;

/// <summary>
/// Drains the outbox in every instance: claims due rows in small batches (claims expire, so a dead instance's rows
/// come back), sends up to <see cref="AlertsOptions.MaxConcurrentSends"/> at once through the rate limiter, and
/// wakes early when <see cref="Signal"/> says new rows were decided.
/// </summary>
public sealed class OutboxDispatcher(OutboxStore outbox, AlertSender sender, IOptions<AlertsOptions> options, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>This process's claim name: claims of a restarted process never look like its own.</summary>
    public string Claimer { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>New work was decided: look now instead of at the next poll.</summary>
    public void Signal()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var slots = new SemaphoreSlim(settings.MaxConcurrentSends);
        var running = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var unconfirmed = await outbox.SweepUnconfirmedAsync(stoppingToken).ConfigureAwait(false);
                if (unconfirmed > 0) logger.LogWarning("{Count} alert sends had no recorded answer and are marked unconfirmed (not sent again)", unconfirmed);

                var batch = await outbox.ClaimAsync(Claimer, settings.MaxConcurrentSends * 2, settings.ClaimTimeout, stoppingToken).ConfigureAwait(false);
                foreach (var item in batch)
                {
                    await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    var task = RunAsync(item, slots, stoppingToken);
                    lock (running) running.Add(task);
                    _ = task.ContinueWith(done => { lock (running) running.Remove(done); }, TaskScheduler.Default);
                }
                if (batch.Count == 0)
                {
                    await _wake.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The alert outbox dispatcher failed; retrying");
                await Task.Delay(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }

        Task[] remaining;
        lock (running) remaining = [.. running];
        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private async Task RunAsync(Outbox.OutboxItem item, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await sender.SendAsync(item, Claimer, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The claim expires and another instance (or the next start) takes the row.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: unexpected failure", item.Kind, item.EpisodeId, item.ChannelId);
        }
        finally
        {
            slots.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
