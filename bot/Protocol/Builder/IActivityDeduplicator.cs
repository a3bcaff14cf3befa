namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Teams re-delivers an activity with the same id when the bot answered slowly (~15 s, teams-bot-facts §9), and
/// again when the bot failed or died mid-turn: the turn must run once to completion. The adapter asks under the
/// conversation's lock, so a redelivery racing the first delivery waits for it and then sees its record.
/// Activities without an id are not deduplicated.
/// </summary>
public interface IActivityDeduplicator
{
    /// <summary>True when this activity has not been handled yet (run it); false for a redelivery (answer 200, do nothing).</summary>
    Task<bool> TryBeginAsync(ITurnContext turnContext, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the turn completed, unless the turn's state save already recorded it. Not called for a turn
    /// that failed or was cut off, so the channel's redelivery runs it again.
    /// </summary>
    Task CompleteAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
