using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Outbox;
using PastDueBot.Alerts.Storage;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Alerts.Scanning;

/// <summary>
/// Turns what billing says into decided sends. Every step is idempotent (inserts that ignore repeats,
/// compare-and-set updates), so the scanner, an install and a payment event may race on any instance without
/// alerting twice.
/// </summary>
public sealed class EpisodeTracker(
    IBillingProvider billing,
    AlertsStore store,
    OutboxDispatcher dispatcher,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<EpisodeTracker> logger)
{
    /// <summary>Opens episodes for new past-due subscriptions, alerts channels that lack them, closes paid ones, sends due reminders.</summary>
    public async Task ScanTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var pastDue = await billing.ScanPastDueAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var current = new HashSet<string>(StringComparer.Ordinal);
        var decided = 0;
        foreach (var subscription in pastDue.Where(subscription => subscription.IsPastDue))
        {
            var episodeId = AlertEpisode.IdFor(subscription.Id, subscription.PastDueSince!.Value);
            current.Add(episodeId);
            if (await store.OpenEpisodeAsync(subscription, options.Value.ReminderAfter, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Past-due episode {EpisodeId} opened for subscription {SubscriptionId}", episodeId, subscription.Id);
            }
            decided += await store.EnqueuePostsAsync(episodeId, tenantId, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        foreach (var episode in await store.GetOpenEpisodesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (!current.Contains(episode.Id))
            {
                // Safety net: paid outside the bot, or the payment event was lost with its process.
                decided += await SettleAsync(tenantId, episode.SubscriptionId, null, now, cancellationToken).ConfigureAwait(false);
            }
            else if (episode.RemindAt <= now
                && await store.MoveReminderAsync(episode.Id, now + options.Value.ReminderAfter, episode.RemindAt, countReminder: true, cancellationToken).ConfigureAwait(false))
            {
                decided += await store.EnqueueFollowUpsAsync(episode.Id, OutboxKinds.Remind, episode.Reminders + 1, cancellationToken).ConfigureAwait(false);
            }
        }
        if (decided > 0) dispatcher.Signal();
    }

    /// <summary>Closes the subscription's open episodes and decides the card updates; returns rows decided.</summary>
    public async Task<int> SettleAsync(string tenantId, string subscriptionId, string? settledBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var decided = 0;
        foreach (var episodeId in await store.SettleAsync(tenantId, subscriptionId, settledBy, at, cancellationToken).ConfigureAwait(false))
        {
            var episode = await store.GetEpisodeAsync(episodeId, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Past-due episode {EpisodeId} settled", episodeId);
            decided += await store.EnqueueFollowUpsAsync(episodeId, OutboxKinds.Update, episode!.Revision, cancellationToken).ConfigureAwait(false);
        }
        if (decided > 0) dispatcher.Signal();
        return decided;
    }

    /// <summary>Someone took the episode on: the channel cards say who.</summary>
    public async Task SetHandlerAsync(string episodeId, string handlerName, CancellationToken cancellationToken)
    {
        if (!await store.SetHandlerAsync(episodeId, handlerName, cancellationToken).ConfigureAwait(false)) return;
        var episode = await store.GetEpisodeAsync(episodeId, cancellationToken).ConfigureAwait(false);
        if (await store.EnqueueFollowUpsAsync(episodeId, OutboxKinds.Update, episode!.Revision, cancellationToken).ConfigureAwait(false) > 0)
        {
            dispatcher.Signal();
        }
    }
}
