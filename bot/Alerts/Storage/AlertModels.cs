using PastDueBot.Domain.Billing;

namespace PastDueBot.Alerts.Storage;

/// <summary>A channel that receives alerts: everything needed to post into it later, and whether Teams still lets the bot.</summary>
public sealed record AlertChannel(
    string ChannelId,
    string TenantId,
    string? TeamId,
    string ServiceUrl,
    string BotId,
    string? Locale,
    bool Enabled,
    string? BlockedReason,
    DateTimeOffset? BlockedAt)
{
    public bool CanPost => Enabled && BlockedReason is null;
}

/// <summary>
/// One stretch of a subscription being past due, from the failed payment (<see cref="PastDueSince"/>) to the
/// balance being paid. Its id is derived from both, so every instance and every scan names it the same.
/// </summary>
public sealed record AlertEpisode(
    string Id,
    string TenantId,
    string SubscriptionId,
    string Product,
    Money Amount,
    DateTimeOffset PastDueSince,
    DeclineReason? Reason,
    DateTimeOffset RemindAt,
    int Reminders,
    string? HandlerName,
    DateTimeOffset? HandlerAt,
    DateTimeOffset? SettledAt,
    string? SettledBy,
    int Revision)
{
    public bool IsSettled => SettledAt is not null;

    public static string IdFor(string subscriptionId, DateTimeOffset pastDueSince) =>
        $"{subscriptionId}@{pastDueSince.ToUnixTimeMilliseconds()}";
}

/// <summary>Where an episode's alert landed in a channel: the thread and its root post, for updates and reminders.</summary>
public sealed record AlertPost(string EpisodeId, string ChannelId, string ThreadId, string ActivityId);

/// <summary>The 1:1 chat with a person, created once and reused.</summary>
public sealed record PersonalChat(string TenantId, string AadObjectId, string ConversationId, string ServiceUrl);
