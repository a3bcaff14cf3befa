using System.Net;
using System.Text.Json;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Dispatches a turn by activity type to overridable handlers (SDK: ActivityHandler, with the Universal Actions
/// invoke of TeamsActivityHandler). Defaults do nothing, except invokes: unhandled ones answer 501.
/// </summary>
public abstract class ActivityHandler : IBot
{
    public virtual async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        switch (turnContext.Activity.Type)
        {
            case ActivityTypes.Message:
                await OnMessageActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
                break;
            case ActivityTypes.ConversationUpdate:
                await OnConversationUpdateActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
                break;
            case ActivityTypes.InstallationUpdate:
                await OnInstallationUpdateAsync(turnContext, cancellationToken).ConfigureAwait(false);
                break;
            case ActivityTypes.Event:
                await OnEventActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
                break;
            case ActivityTypes.Invoke:
                var response = await OnInvokeActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
                // The handler may have set the response itself; it wins, as in the SDK.
                if (turnContext.InvokeResponse is null) turnContext.SetInvokeResponse(response);
                break;
            default:
                await OnUnrecognizedActivityTypeAsync(turnContext, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    protected virtual Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Calls <see cref="OnMembersAddedAsync"/>/<see cref="OnMembersRemovedAsync"/> when someone other than the bot joined or left.</summary>
    protected virtual async Task OnConversationUpdateActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var botId = activity.Recipient?.Id;
        if (activity.MembersAdded is { Count: > 0 } added && added.Any(m => m.Id != botId))
            await OnMembersAddedAsync(added, turnContext, cancellationToken).ConfigureAwait(false);
        else if (activity.MembersRemoved is { Count: > 0 } removed && removed.Any(m => m.Id != botId))
            await OnMembersRemovedAsync(removed, turnContext, cancellationToken).ConfigureAwait(false);
    }

    protected virtual Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnMembersRemovedAsync(IList<ChannelAccount> membersRemoved, ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>App installed or removed (action add/add-upgrade, remove/remove-upgrade).</summary>
    protected virtual Task OnInstallationUpdateAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        => turnContext.Activity.Action switch
        {
            "add" or "add-upgrade" => OnInstallationUpdateAddAsync(turnContext, cancellationToken),
            "remove" or "remove-upgrade" => OnInstallationUpdateRemoveAsync(turnContext, cancellationToken),
            _ => Task.CompletedTask,
        };

    protected virtual Task OnInstallationUpdateAddAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnInstallationUpdateRemoveAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task OnUnrecognizedActivityTypeAsync(ITurnContext turnContext, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Routes <c>adaptiveCard/action</c>; any other invoke name answers 501 Not Implemented.</summary>
    protected virtual async Task<InvokeResponse> OnInvokeActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        try
        {
            if (turnContext.Activity.Name == AdaptiveCardInvokeValue.InvokeName)
            {
                var value = ReadAdaptiveCardInvokeValue(turnContext.Activity);
                var response = await OnAdaptiveCardInvokeAsync(turnContext, value, cancellationToken).ConfigureAwait(false);
                return new InvokeResponse(200, JsonSerializer.SerializeToElement(response, ProtocolJson.Context.AdaptiveCardInvokeResponse));
            }
            throw new InvokeResponseException(HttpStatusCode.NotImplemented);
        }
        catch (InvokeResponseException e)
        {
            return e.ToInvokeResponse();
        }
    }

    /// <summary>An <c>Action.Execute</c> click or refresh. Return the card or message that answers it.</summary>
    protected virtual Task<AdaptiveCardInvokeResponse> OnAdaptiveCardInvokeAsync(ITurnContext turnContext, AdaptiveCardInvokeValue invokeValue, CancellationToken cancellationToken)
        => throw new InvokeResponseException(HttpStatusCode.NotImplemented);

    /// <summary>SDK rules: a value is required and only Action.Execute is supported, else 400 with an error body.</summary>
    private static AdaptiveCardInvokeValue ReadAdaptiveCardInvokeValue(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } raw)
            throw BadRequest("BadRequest", "Missing value property");

        AdaptiveCardInvokeValue? value;
        try
        {
            value = raw.Deserialize(ProtocolJson.Context.AdaptiveCardInvokeValue);
        }
        catch (JsonException)
        {
            throw BadRequest("BadRequest", "Value property is not properly formed");
        }

        if (value?.Action is null) throw BadRequest("BadRequest", "Missing action property");
        if (value.Action.Type != "Action.Execute") throw BadRequest("NotSupported", $"The action '{value.Action.Type}' is not supported.");
        return value;
    }

    private static InvokeResponseException BadRequest(string code, string message)
    {
        var body = new AdaptiveCardInvokeResponse
        {
            StatusCode = 400,
            Type = AdaptiveCardInvokeResponse.ErrorType,
            Value = JsonSerializer.SerializeToElement(new Error { Code = code, Message = message }, ProtocolJson.Context.Error),
        };
        return new InvokeResponseException(HttpStatusCode.BadRequest, JsonSerializer.SerializeToElement(body, ProtocolJson.Context.AdaptiveCardInvokeResponse));
    }
}
