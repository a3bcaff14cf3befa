using System.Text.Json;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>State of one user across all their conversations on a channel, e.g. preferences (SDK: UserState).</summary>
public class UserState(IStorage storage, JsonSerializerOptions? serializerOptions = null)
    : BotState(storage, nameof(UserState), serializerOptions)
{
    /// <summary><c>{channelId}/users/{userId}</c>, as the SDK keys it.</summary>
    protected override string StorageKey(Activity activity) => $"{activity.ChannelId}/users/{activity.From!.Id}";

    protected override string? MissingKeyPart(Activity activity) =>
        string.IsNullOrEmpty(activity.ChannelId) ? "The activity has no channelId, so user state has no key."
        : string.IsNullOrEmpty(activity.From?.Id) ? "The activity has no from.id, so user state has no key."
        : null;
}
