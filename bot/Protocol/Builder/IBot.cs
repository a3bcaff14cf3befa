namespace PastDueBot.Protocol.Builder;

/// <summary>The application's turn handler (SDK: IBot).</summary>
public interface IBot
{
    Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
