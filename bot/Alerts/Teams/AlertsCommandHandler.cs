using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Conversation.Commands;
using PastDueBot.Conversation.Resources;
using PastDueBot.Protocol.Builder;

namespace PastDueBot.Alerts.Teams;

/// <summary>"alerts on / off / status" (and "meldingen aan / uit / status") typed in a team channel.</summary>
public sealed class AlertsCommandHandler(AlertsStore store, EpisodeTracker tracker, BotTexts texts) : ICommandHandler
{
    public bool CanHandle(RecognizedCommand command, ITurnContext turnContext) =>
        command.Kind is CommandKind.AlertsOn or CommandKind.AlertsOff or CommandKind.AlertsStatus;

    public async Task HandleAsync(RecognizedCommand command, ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (ChannelContext.From(turnContext.Activity) is not { } channel)
        {
            await turnContext.SendActivityAsync(texts[TextKeys.Alerts_ChannelsOnly], cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (command.Kind)
        {
            case CommandKind.AlertsOn:
                await store.SubscribeAsync(channel, cancellationToken).ConfigureAwait(false);
                await turnContext.SendActivityAsync(texts[TextKeys.Alerts_On], cancellationToken).ConfigureAwait(false);
                await tracker.ScanTenantAsync(channel.TenantId, cancellationToken).ConfigureAwait(false);
                break;
            case CommandKind.AlertsOff:
                await store.UnsubscribeAsync(channel.ChannelId, cancellationToken).ConfigureAwait(false);
                await turnContext.SendActivityAsync(texts[TextKeys.Alerts_Off], cancellationToken).ConfigureAwait(false);
                break;
            default:
                await turnContext.SendActivityAsync(await StatusAsync(channel, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task<string> StatusAsync(AlertChannel incoming, CancellationToken cancellationToken)
    {
        var stored = await store.GetChannelAsync(incoming.ChannelId, cancellationToken).ConfigureAwait(false);
        var state = stored switch
        {
            { Enabled: true, BlockedReason: { } reason } => texts[TextKeys.Alerts_StatusBlocked, reason, texts.Date(stored.BlockedAt ?? DateTimeOffset.UtcNow)],
            { Enabled: true } => texts[TextKeys.Alerts_StatusOn],
            _ => texts[TextKeys.Alerts_StatusOff],
        };
        var open = await store.GetOpenEpisodesAsync(incoming.TenantId, cancellationToken).ConfigureAwait(false);
        return $"{state} {texts[TextKeys.Alerts_StatusOpen, open.Count]}";
    }
}
