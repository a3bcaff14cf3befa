using System.Text.Json;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>State of one user across all their conversations on a channel, e.g. preferences (SDK: UserState).</summary>
public class UserState(IStorage storage, JsonSerializerOptions? serializerOptions = null)
    : BotState(storage, nameof(UserState), serializerOptions)
{
    /// <summary><c>{channelId}/users/{from.id}</c>, as the SDK keys it.</summary>
    public override string GetStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        var channelId = activity.ChannelId;
        var userId = activity.From?.Id;
        if (string.IsNullOrEmpty(channelId)) throw new InvalidOperationException("The activity has no channelId, so user state has no key.");
        if (string.IsNullOrEmpty(userId)) throw new InvalidOperationException("The activity has no from.id, so user state has no key.");
        return $"{channelId}/users/{userId}";
    }
}
