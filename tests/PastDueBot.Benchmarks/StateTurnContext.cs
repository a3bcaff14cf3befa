using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Benchmarks;

/// <summary>A turn that carries only its activity and turn state: all that BotState needs.</summary>
internal sealed class StateTurnContext(Activity activity) : ITurnContext
{
    public Activity Activity { get; } = activity;

    public TurnStateCollection TurnState { get; } = new();

    public bool Responded => false;

    public InvokeResponse? InvokeResponse { get; private set; }

    public Task<ResourceResponse?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ResourceResponse?> SendActivityAsync(string text, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ResourceResponse?> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void SetInvokeResponse(InvokeResponse response) => InvokeResponse = response;
}
