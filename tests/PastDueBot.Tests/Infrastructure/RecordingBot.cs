using System.Collections.Concurrent;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>An <see cref="ActivityHandler"/> that records every turn and replies to messages with "echo: {text}".</summary>
public class RecordingBot : ActivityHandler
{
    private readonly ConcurrentQueue<Activity> _turns = new();

    public IReadOnlyList<Activity> Turns => _turns.ToArray();

    /// <summary>When set, messages run this instead of the echo.</summary>
    public Func<ITurnContext, CancellationToken, Task>? OnMessage { get; set; }

    /// <summary>When set, answers adaptiveCard/action invokes.</summary>
    public Func<ITurnContext, AdaptiveCardInvokeValue, Task<AdaptiveCardInvokeResponse>>? OnCardAction { get; set; }

    public override Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        _turns.Enqueue(turnContext.Activity);
        return base.OnTurnAsync(turnContext, cancellationToken);
    }

    protected override Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
        => OnMessage is { } handler ? handler(turnContext, cancellationToken) : turnContext.SendActivityAsync($"echo: {turnContext.Activity.Text}", cancellationToken);

    protected override Task<AdaptiveCardInvokeResponse> OnAdaptiveCardInvokeAsync(ITurnContext turnContext, AdaptiveCardInvokeValue invokeValue, CancellationToken cancellationToken)
        => OnCardAction is { } handler ? handler(turnContext, invokeValue) : base.OnAdaptiveCardInvokeAsync(turnContext, invokeValue, cancellationToken);
}
