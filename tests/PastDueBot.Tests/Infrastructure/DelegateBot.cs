using PastDueBot.Protocol.Builder;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>A bot whose turn is the given function: for tests of what wraps a bot (state saving, the redelivery guard).</summary>
public sealed class DelegateBot(Func<ITurnContext, CancellationToken, Task> onTurn) : IBot
{
    public Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken) => onTurn(turnContext, cancellationToken);
}
