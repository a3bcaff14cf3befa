using System.Text.Json;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>State shared by everyone in a conversation, e.g. the dialog stack (SDK: ConversationState).</summary>
public class ConversationState(IStorage storage, JsonSerializerOptions? serializerOptions = null)
    : BotState(storage, nameof(ConversationState), serializerOptions)
{
    /// <summary><c>{channelId}/conversations/{conversationId}</c>, as the SDK keys it.</summary>
    protected override string StorageKey(Activity activity) => $"{activity.ChannelId}/conversations/{activity.Conversation!.Id}";

    protected override string? MissingKeyPart(Activity activity) =>
        string.IsNullOrEmpty(activity.ChannelId) ? "The activity has no channelId, so conversation state has no key."
        : string.IsNullOrEmpty(activity.Conversation?.Id) ? "The activity has no conversation.id, so conversation state has no key."
        : null;
}
