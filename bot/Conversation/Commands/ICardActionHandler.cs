using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Conversation.Commands;

/// <summary>
/// A card button (Action.Submit or Action.Execute) owned by another layer, e.g. the alert card's Settle and Snooze.
/// Asked before the settle flow sees a click; for an Action.Execute the handler answers with
/// <see cref="ITurnContext.SetInvokeResponse"/>. Register with <c>services.AddSingleton&lt;ICardActionHandler, ...&gt;()</c>.
/// </summary>
public interface ICardActionHandler
{
    bool CanHandle(CardSubmit submit, ITurnContext turnContext);

    Task HandleAsync(CardSubmit submit, ITurnContext turnContext, CancellationToken cancellationToken);
}
