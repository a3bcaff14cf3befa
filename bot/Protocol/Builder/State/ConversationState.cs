using System.Text.Json;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>State shared by everyone in a conversation, e.g. the dialog stack (SDK: ConversationState).</summary>
public class ConversationState(IStorage storage, JsonSerializerOptions? serializerOptions = null)
    : BotState(storage, nameof(ConversationState), serializerOptions)
{
    /// <summary><c>{channelId}/conversations/{conversationId}</c>, as the SDK keys it.</summary>
    public override string GetStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        var channelId = activity.ChannelId;
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(channelId)) throw new InvalidOperationException("The activity has no channelId, so conversation state has no key.");
        if (string.IsNullOrEmpty(conversationId)) throw new InvalidOperationException("The activity has no conversation.id, so conversation state has no key.");
        return $"{channelId}/conversations/{conversationId}";
    }
}
