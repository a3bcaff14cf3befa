using System.Security.Claims;
using System.Text.Json;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Builder;

/// <summary>
/// One turn: the inbound activity, and sends addressed back along its conversation reference (SDK: TurnContext).
/// Outgoing activities get from/recipient/conversation/serviceUrl/channelId/replyToId from the inbound activity
/// when they do not set them, and their id is cleared (the connector assigns it).
/// </summary>
public sealed class TurnContext : ITurnContext
{
    /// <summary>TurnState key of the caller's ClaimsIdentity (SDK: BotAdapter.BotIdentityKey).</summary>
    public const string BotIdentityKey = "BotIdentity";

    private readonly IConnectorClient _connector;
    private readonly ConversationReference _reference;

    public TurnContext(Activity activity, IConnectorClient connector, ClaimsIdentity? identity = null)
    {
        Activity = activity ?? throw new ArgumentNullException(nameof(activity));
        _connector = connector ?? throw new ArgumentNullException(nameof(connector));
        _reference = activity.GetConversationReference();
        TurnState.Set<IConnectorClient>(connector);
        if (identity is not null) TurnState.Set(BotIdentityKey, identity);
    }

    public Activity Activity { get; }

    public TurnStateCollection TurnState { get; } = new();

    public bool Responded { get; private set; }

    public InvokeResponse? InvokeResponse { get; private set; }

    public Task<ResourceResponse?> SendActivityAsync(string text, CancellationToken cancellationToken = default)
        => SendActivityAsync(Schema.Activity.CreateMessageActivity(text), cancellationToken);

    /// <summary>SDK routing: a <c>replyToId</c> goes to the reply route, anything else to send-to-conversation.</summary>
    public async Task<ResourceResponse?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Type == ActivityTypes.InvokeResponse)
        {
            SetInvokeResponse(ReadInvokeResponse(activity));
            return null;
        }

        Address(activity);
        activity.ReplyToId ??= _reference.ActivityId;
        activity.Id = null;
        var conversationId = RequireConversationId(activity);

        var response = string.IsNullOrEmpty(activity.ReplyToId)
            ? await _connector.SendToConversationAsync(conversationId, activity, cancellationToken).ConfigureAwait(false)
            : await _connector.ReplyToActivityAsync(conversationId, activity.ReplyToId, activity, cancellationToken).ConfigureAwait(false);

        // Prompts read Responded to decide whether to re-prompt; a typing indicator is not an answer.
        if (activity.Type is not (ActivityTypes.Typing or "trace")) Responded = true;
        return response;
    }

    public async Task<ResourceResponse?> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.Id)) throw new ArgumentException("The activity to update needs the id the connector returned when it was sent.", nameof(activity));
        Address(activity);
        return await _connector.UpdateActivityAsync(RequireConversationId(activity), activity.Id, activity, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        var conversationId = _reference.Conversation?.Id ?? throw new InvalidOperationException("The turn has no conversation id.");
        return _connector.DeleteActivityAsync(conversationId, activityId, cancellationToken);
    }

    public void SetInvokeResponse(InvokeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        InvokeResponse = response;
    }

    /// <summary>Fills what the caller left out from the inbound activity's reference (bot → user).</summary>
    private void Address(Activity activity)
    {
        activity.ChannelId ??= _reference.ChannelId;
        activity.ServiceUrl ??= _reference.ServiceUrl;
        activity.Conversation ??= _reference.Conversation;
        activity.From ??= _reference.Bot;
        activity.Recipient ??= _reference.User;
        activity.Locale ??= _reference.Locale;
    }

    private static string RequireConversationId(Activity activity)
        => activity.Conversation?.Id is { Length: > 0 } id ? id : throw new InvalidOperationException("The activity has no conversation id.");

    /// <summary>SDK style: an activity of type invokeResponse whose value is <c>{status, body}</c>.</summary>
    private static InvokeResponse ReadInvokeResponse(Activity activity)
    {
        if (activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("status", out var status) && status.TryGetInt32(out var code))
        {
            return new InvokeResponse(code, value.TryGetProperty("body", out var body) ? body.Clone() : null);
        }
        throw new ArgumentException("An invokeResponse activity needs a value of {status, body}.", nameof(activity));
    }
}
