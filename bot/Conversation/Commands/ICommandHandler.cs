using PastDueBot.Protocol.Builder;

namespace PastDueBot.Conversation.Commands;

/// <summary>
/// A command handled by another layer (the Alerts layer handles alerts on / off / status). Register it in DI as
/// <c>services.AddSingleton&lt;ICommandHandler, MyHandler&gt;()</c>; the bot asks every handler, in
/// registration order, and the first that <see cref="CanHandle"/> the command gets it. The turn's culture is
/// already set, so IStringLocalizer answers in the person's language.
/// </summary>
public interface ICommandHandler
{
    bool CanHandle(RecognizedCommand command, ITurnContext turnContext);

    Task HandleAsync(RecognizedCommand command, ITurnContext turnContext, CancellationToken cancellationToken);
}
