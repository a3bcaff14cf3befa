namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Teams re-delivers an activity with the same id when the bot answered slowly (~15 s, teams-bot-facts §9);
/// the turn must run once. The adapter asks before running the bot; activities without an id are not deduplicated.
/// </summary>
public interface IActivityDeduplicator
{
    /// <summary>True the first time this activity is seen (run it); false for a redelivery (answer 200, do nothing).</summary>
    Task<bool> TryBeginAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a claim whose turn failed or was cut off, so the channel's redelivery runs it again instead of being
    /// dropped. Default: nothing (the claim stands until it expires).
    /// </summary>
    Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken) => Task.CompletedTask;
}
