using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Builder;

/// <summary>One turn of a conversation: the inbound activity and the ways to answer it (SDK: ITurnContext).</summary>
public interface ITurnContext
{
    /// <summary>The inbound activity of this turn.</summary>
    Activity Activity { get; }

    /// <summary>Per-turn services and cached state (SDK: TurnState).</summary>
    TurnStateCollection TurnState { get; }

    /// <summary>True once the bot has sent anything in this turn.</summary>
    bool Responded { get; }

    /// <summary>Sends an activity; addressed from the inbound activity's reference when fields are missing.</summary>
    Task<ResourceResponse?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default);

    Task<ResourceResponse?> SendActivityAsync(string text, CancellationToken cancellationToken = default);

    Task<ResourceResponse?> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default);

    Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default);

    /// <summary>Sets the HTTP answer to an invoke activity (SDK: sending an activity of type invokeResponse).</summary>
    void SetInvokeResponse(InvokeResponse response);

    InvokeResponse? InvokeResponse { get; }
}
