namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Teams re-delivers an activity with the same id when the bot answered slowly (~15 s, teams-bot-facts §9);
/// the turn must run once. The adapter asks before running the bot; activities without an id are not deduplicated.
/// </summary>
public interface IActivityDeduplicator
{
    /// <summary>True the first time this activity is seen (run it); false for a redelivery (answer 200, do nothing).</summary>
    Task<bool> TryBeginAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);
}
