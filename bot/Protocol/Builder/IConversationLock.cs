namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Serialises turns of one conversation: two clicks or a retry and a proactive turn never run the bot and its
/// state at the same time (SDK BotState is last-writer-wins, teams-bot-facts §6). Dispose the handle to release.
/// </summary>
public interface IConversationLock
{
    Task<IAsyncDisposable> AcquireAsync(string conversationKey, CancellationToken cancellationToken);
}
