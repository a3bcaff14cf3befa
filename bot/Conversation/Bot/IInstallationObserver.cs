using PastDueBot.Protocol.Builder;

namespace PastDueBot.Conversation.Bot;

/// <summary>
/// Told when the bot is added to or removed from a conversation (a team, a group chat, a 1:1 chat), so another layer
/// (alerts) can subscribe or unsubscribe it without the conversation layer knowing why. Register with
/// <c>services.AddSingleton&lt;IInstallationObserver, ...&gt;()</c>. Teams may announce one install twice
/// (conversationUpdate and installationUpdate): observers must be idempotent.
/// </summary>
public interface IInstallationObserver
{
    Task OnInstalledAsync(ITurnContext turnContext, CancellationToken cancellationToken);

    Task OnUninstalledAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
