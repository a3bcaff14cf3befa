using System.Text.Json.Nodes;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Directory;
using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Conversation.Settle;

// The main waterfall: who is asking, which subscription, then payment rounds.
public sealed partial class SettleDialog
{
    /// <summary>
    /// Only Billing and Global Administrators may settle. This runs before anything about the balance is shown, so
    /// someone else learns who can help and what to ask them, and nothing more.
    /// </summary>
    private async Task<DialogTurnResult> CheckAdminStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var objectId = step.Context.Activity.From?.AadObjectId;
        var user = string.IsNullOrEmpty(objectId) ? null : await _directory.FindUserAsync(objectId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            await SendCardAsync(step.Context, AccessCards.UnknownUser(_texts), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var roles = await _directory.GetRoleTemplateIdsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (!roles.Overlaps(DirectoryRoles.CanSettle))
        {
            var admins = new List<DirectoryUser>();
            foreach (var role in new[] { DirectoryRoles.BillingAdministrator, DirectoryRoles.GlobalAdministrator })
            {
                admins.AddRange(await _directory.GetUsersInRoleAsync(role, cancellationToken).ConfigureAwait(false));
            }
            var distinct = admins.DistinctBy(admin => admin.Id, StringComparer.OrdinalIgnoreCase).Take(5).ToList();
            await SendCardAsync(step.Context, AccessCards.NotAnAdmin(_texts, distinct), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        return await step.NextAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>None past due: say so and stop. One: confirm it. Several: choose. An alert's button names one already.</summary>
    private async Task<DialogTurnResult> ChooseSubscriptionStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var subscriptions = await _billing.GetPastDueSubscriptionsAsync(Account(step.Context), cancellationToken).ConfigureAwait(false);
        if (subscriptions.Count == 0)
        {
            await step.Context.SendActivityAsync(SettleMessages.Text(_texts[TextKeys.NoPastDue]), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var requested = step.GetOptions<SettleStart>()?.SubscriptionId;
        if (requested is not null && subscriptions.Any(subscription => subscription.Id == requested))
        {
            return await step.NextAsync(requested, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var card = subscriptions.Count == 1
            ? SubscriptionCards.Confirm(_texts, subscriptions[0], now, CardStamp.None)
            : SubscriptionCards.Choose(_texts, subscriptions, now, CardStamp.None);
        return await step.PromptAsync(SubscriptionPrompt, CardPromptOptions(card), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ValidateSubscriptionAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        if (!prompt.Recognized.Succeeded || prompt.Recognized.Value is not { } submit) return false;

        var subscriptions = await _billing.GetPastDueSubscriptionsAsync(Account(prompt.Context), cancellationToken).ConfigureAwait(false);
        var id = submit.GetString(CardIds.SubscriptionId);
        if (submit.Verb == CardIds.ChooseSubscription && id is not null && subscriptions.Any(subscription => subscription.Id == id)) return true;

        var form = subscriptions.Count > 0
            ? SubscriptionCards.Choose(_texts, subscriptions, _time.GetUtcNow(), Stamp(prompt), _texts[TextKeys.ChooseSubscription_Error])
            : null;
        return await RejectAsync(prompt.Context, _texts[TextKeys.ChooseSubscription_Error], form, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> StartPayRoundStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var subscriptionId = step.Result switch
        {
            string id => id,
            CardSubmit submit => submit.GetString(CardIds.SubscriptionId),
            _ => null,
        } ?? throw new InvalidOperationException("No subscription was chosen.");
        return await step.BeginDialogAsync(PayRoundFlow, new PayRound(step.InstanceId, subscriptionId, 0), cancellationToken).ConfigureAwait(false);
    }

    private static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(id => (JsonNode)JsonValue.Create(id)).ToArray());
}
