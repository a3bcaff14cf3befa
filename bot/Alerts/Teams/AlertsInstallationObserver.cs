using Microsoft.Extensions.Logging;
using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Conversation.Bot;
using PastDueBot.Protocol.Builder;

namespace PastDueBot.Alerts.Teams;

/// <summary>
/// Installing the bot in a team subscribes the channel the install arrived in (the General channel) and scans the
/// tenant at once so open episodes reach it; removing the bot unsubscribes. 1:1 and group chats are ignored.
/// </summary>
public sealed class AlertsInstallationObserver(AlertsStore store, EpisodeTracker tracker, ILogger<AlertsInstallationObserver> logger) : IInstallationObserver
{
    public async Task OnInstalledAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (ChannelContext.From(turnContext.Activity) is not { } channel) return;
        await store.SubscribeAsync(channel, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Alerts subscribed for channel {ChannelId} of team {TeamId} on install", channel.ChannelId, channel.TeamId);
        await tracker.ScanTenantAsync(channel.TenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task OnUninstalledAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (ChannelContext.From(turnContext.Activity) is not { } channel) return;
        await store.UnsubscribeAsync(channel.ChannelId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Alerts unsubscribed for channel {ChannelId}: the bot was removed", channel.ChannelId);
    }
}
