using System.Text.Json;
using System.Text.Json.Serialization;

namespace PastDueBot.Protocol.Schema;

/// <summary>A user or bot in a conversation. In Teams: users are <c>29:…</c>, bots <c>28:{appId}</c>.</summary>
public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    /// <summary>The Entra ID object id of the user (Teams).</summary>
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The conversation an activity belongs to. Teams sets conversationType and tenantId.</summary>
public sealed class ConversationAccount
{
    public bool? IsGroup { get; set; }
    public string? ConversationType { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }
    public string? TenantId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Everything needed to message a conversation later, without an inbound activity (SDK: ConversationReference).</summary>
public sealed class ConversationReference
{
    public string? ActivityId { get; set; }
    public ChannelAccount? User { get; set; }
    public ChannelAccount? Bot { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public string? ChannelId { get; set; }
    public string? Locale { get; set; }
    public string? ServiceUrl { get; set; }

    /// <summary>An activity addressed along this reference: from the bot, to the user (SDK: ApplyConversationReference).</summary>
    public Activity ApplyTo(Activity activity, bool isIncoming = false)
    {
        activity.ChannelId = ChannelId;
        activity.ServiceUrl = ServiceUrl;
        activity.Conversation = Conversation;
        activity.Locale ??= Locale;
        if (isIncoming)
        {
            activity.From = User;
            activity.Recipient = Bot;
            if (ActivityId is not null) activity.Id = ActivityId;
        }
        else
        {
            activity.From = Bot;
            activity.Recipient = User;
            if (ActivityId is not null) activity.ReplyToId = ActivityId;
        }
        return activity;
    }
}
