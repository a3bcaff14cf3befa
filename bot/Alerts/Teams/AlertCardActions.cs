using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Cards;
using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Conversation.Commands;
using PastDueBot.Conversation.Resources;
using PastDueBot.Conversation.Settle;
using PastDueBot.Domain.Directory;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Alerts.Teams;

/// <summary>
/// The alert card's buttons. Settle: a billing or global admin (the settle flow's directory rule) gets the settle
/// flow in their 1:1 chat with the bot (created once, then reused) and the channel card names them; anyone else
/// is told who can. Snooze: the next reminder moves by <see cref="AlertsOptions.SnoozeFor"/>.
/// </summary>
public sealed class AlertCardActions(
    AlertsStore store,
    EpisodeTracker tracker,
    IDirectory directory,
    SettleLauncher launcher,
    UserState userState,
    IConnectorClientFactory connectors,
    BotTexts texts,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertCardActions> logger) : ICardActionHandler
{
    public bool CanHandle(CardSubmit submit, ITurnContext turnContext) => submit.Verb is AlertCards.SettleVerb or AlertCards.SnoozeVerb;

    public async Task HandleAsync(CardSubmit submit, ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var episode = submit.GetString(AlertCards.EpisodeIdKey) is { } id ? await store.GetEpisodeAsync(id, cancellationToken).ConfigureAwait(false) : null;
        string answer;
        if (episode is null || episode.IsSettled)
        {
            answer = texts[TextKeys.Alert_AlreadySettled];
        }
        else if (submit.Verb == AlertCards.SnoozeVerb)
        {
            var until = time.GetUtcNow() + options.Value.SnoozeFor;
            await store.MoveReminderAsync(episode.Id, until, null, countReminder: false, cancellationToken).ConfigureAwait(false);
            answer = texts[TextKeys.Alert_Snoozed, texts.Date(until)];
        }
        else
        {
            answer = await SettleAsync(turnContext, episode, cancellationToken).ConfigureAwait(false);
        }
        Answer(turnContext, answer);
    }

    private async Task<string> SettleAsync(ITurnContext turnContext, AlertEpisode episode, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var objectId = activity.From?.AadObjectId;
        var user = string.IsNullOrEmpty(objectId) ? null : await directory.FindUserAsync(objectId, cancellationToken).ConfigureAwait(false);
        if (user is null) return texts[TextKeys.Alert_UnknownUser];

        var roles = await directory.GetRoleTemplateIdsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (!roles.Overlaps(DirectoryRoles.CanSettle))
        {
            var admins = new List<DirectoryUser>();
            foreach (var role in new[] { DirectoryRoles.BillingAdministrator, DirectoryRoles.GlobalAdministrator })
            {
                admins.AddRange(await directory.GetUsersInRoleAsync(role, cancellationToken).ConfigureAwait(false));
            }
            var names = admins.DistinctBy(admin => admin.Id, StringComparer.OrdinalIgnoreCase).Take(3).Select(admin => admin.DisplayName).ToList();
            logger.LogInformation("Settle on alert {EpisodeId} refused: not a billing admin", episode.Id);
            return names.Count == 0 ? texts[TextKeys.Alert_NotAdminNoNames] : texts[TextKeys.Alert_NotAdmin, string.Join(", ", names)];
        }

        var chat = await OpenPersonalChatAsync(activity, episode.TenantId, objectId!, cancellationToken).ConfigureAwait(false);
        await launcher.StartAsync(chat, episode.SubscriptionId, cancellationToken).ConfigureAwait(false);
        // The private turn saved this person's user state; re-read it so this turn's save is not a stale overwrite.
        await userState.LoadAsync(turnContext, force: true, cancellationToken).ConfigureAwait(false);
        await tracker.SetHandlerAsync(episode.Id, user.DisplayName, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Settle on alert {EpisodeId} started in a 1:1 chat", episode.Id);
        return texts[TextKeys.Alert_ChatOpened];
    }

    /// <summary>The stored 1:1 chat, or a new one (<c>POST v3/conversations</c> with the person, the bot and the tenant).</summary>
    private async Task<ConversationReference> OpenPersonalChatAsync(Activity activity, string tenantId, string objectId, CancellationToken cancellationToken)
    {
        var chat = await store.GetPersonalChatAsync(tenantId, objectId, cancellationToken).ConfigureAwait(false);
        if (chat is null)
        {
            var created = await connectors.Create(activity.ServiceUrl!).CreateConversationAsync(new ConversationParameters
            {
                IsGroup = false,
                Bot = new ChannelAccount { Id = activity.Recipient?.Id, Name = activity.Recipient?.Name },
                Members = [new ChannelAccount { Id = activity.From!.Id }],
                TenantId = tenantId,
                ChannelData = System.Text.Json.JsonSerializer.SerializeToElement(new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } }, ProtocolJson.Context.JsonNode),
            }, cancellationToken).ConfigureAwait(false);
            chat = new PersonalChat(tenantId, objectId, created.Id ?? throw new InvalidOperationException("The connector returned no conversation id."),
                created.ServiceUrl ?? activity.ServiceUrl!);
            await store.SavePersonalChatAsync(chat, cancellationToken).ConfigureAwait(false);
        }

        return new ConversationReference
        {
            ChannelId = activity.ChannelId ?? "msteams",
            ServiceUrl = chat.ServiceUrl,
            Locale = activity.Locale,
            Bot = new ChannelAccount { Id = activity.Recipient?.Id, Name = activity.Recipient?.Name },
            User = new ChannelAccount { Id = activity.From!.Id, Name = activity.From.Name, AadObjectId = objectId },
            Conversation = new ConversationAccount { Id = chat.ConversationId, ConversationType = "personal", TenantId = tenantId },
        };
    }

    /// <summary>Action.Execute gets a message for the clicker; an old client's Action.Submit gets a reply in the thread.</summary>
    private static void Answer(ITurnContext turnContext, string text)
    {
        if (CardSubmit.IsCardActionInvoke(turnContext.Activity))
        {
            turnContext.SetInvokeResponse(CardInvokeResponses.Message(text));
        }
        else
        {
            _ = turnContext.SendActivityAsync(text);
        }
    }
}
