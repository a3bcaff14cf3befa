using System.Text.Json;
using System.Text.Json.Serialization;

namespace PastDueBot.Protocol.Schema;

/// <summary>
/// A Bot Framework activity as it travels on the wire. Unknown fields are kept in
/// <see cref="Extra"/> so that nothing a channel sends is lost when an activity is stored or forwarded.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public DateTimeOffset? LocalTimestamp { get; set; }
    public string? LocalTimezone { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public string? TextFormat { get; set; }
    public string? AttachmentLayout { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }
    public string? TopicName { get; set; }
    public string? Locale { get; set; }
    public string? Text { get; set; }
    public string? Speak { get; set; }
    public string? InputHint { get; set; }
    public string? Summary { get; set; }
    public SuggestedActions? SuggestedActions { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public List<Entity>? Entities { get; set; }
    public JsonElement? ChannelData { get; set; }
    public string? Action { get; set; }
    public string? ReplyToId { get; set; }
    public string? Label { get; set; }
    public string? ValueType { get; set; }
    public JsonElement? Value { get; set; }
    public string? Name { get; set; }
    public ConversationReference? RelatesTo { get; set; }
    public string? Code { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>
    /// A copy whose properties, and whose attachments' properties, can be set without touching this activity. Nested
    /// objects (accounts, entities, JSON values) are shared: replace them, never change them in place.
    /// </summary>
    public Activity ShallowCopy()
    {
        var copy = (Activity)MemberwiseClone();
        copy.Attachments = Attachments?.ConvertAll(a => a.ShallowCopy());
        return copy;
    }

    /// <summary>Teams' channelData, parsed on demand (absent in some personal messages).</summary>
    public TeamsChannelData? GetTeamsChannelData()
    {
        if (ChannelData is not { ValueKind: JsonValueKind.Object } data) return null;
        try { return data.Deserialize(ProtocolJson.Context.TeamsChannelData); }
        catch (JsonException) { return null; }
    }

    /// <summary>The reference that lets the bot continue this conversation later (SDK: GetConversationReference).</summary>
    public ConversationReference GetConversationReference() => new()
    {
        ActivityId = Type == ActivityTypes.ConversationUpdate ? null : Id,
        User = From,
        Bot = Recipient,
        Conversation = Conversation,
        ChannelId = ChannelId,
        Locale = Locale,
        ServiceUrl = ServiceUrl,
    };

    /// <summary>A reply addressed back to the sender, in the same conversation (SDK: CreateReply).</summary>
    public Activity CreateReply(string? text = null) => new()
    {
        Type = ActivityTypes.Message,
        Timestamp = DateTimeOffset.UtcNow,
        From = Recipient is null ? null : new ChannelAccount { Id = Recipient.Id, Name = Recipient.Name },
        Recipient = From is null ? null : new ChannelAccount { Id = From.Id, Name = From.Name, AadObjectId = From.AadObjectId },
        ReplyToId = Id,
        ServiceUrl = ServiceUrl,
        ChannelId = ChannelId,
        Conversation = Conversation,
        Text = text,
        Locale = Locale,
    };

    public static Activity CreateMessageActivity(string? text = null) => new() { Type = ActivityTypes.Message, Text = text };

    public static Activity CreateTypingActivity() => new() { Type = ActivityTypes.Typing };
}
