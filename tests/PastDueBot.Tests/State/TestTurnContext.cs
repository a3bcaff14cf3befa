using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.State;

/// <summary>A turn that only carries its activity and turn state: state needs nothing else.</summary>
internal sealed class TestTurnContext(Activity activity) : ITurnContext
{
    public static TestTurnContext Message(string conversationId, string userId = "29:user", string channelId = "msteams") => new(new Activity
    {
        Type = ActivityTypes.Message,
        Id = Guid.NewGuid().ToString("N"),
        ChannelId = channelId,
        Conversation = new ConversationAccount { Id = conversationId },
        From = new ChannelAccount { Id = userId },
        Recipient = new ChannelAccount { Id = "28:bot" },
        Text = "hi",
    });

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
