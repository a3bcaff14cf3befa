using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>An in-memory turn: records what the bot sends and the invoke response it sets.</summary>
public sealed class TestTurnContext(Activity activity) : ITurnContext
{
    private int _nextId;

    /// <summary>A message turn in a conversation, from a user: all that state needs.</summary>
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

    public List<Activity> Sent { get; } = [];

    public List<Activity> Updated { get; } = [];

    public bool Responded => Sent.Count > 0;

    public InvokeResponse? InvokeResponse { get; private set; }

    public Task<ResourceResponse?> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        activity.Type ??= ActivityTypes.Message;
        activity.Id = $"bot-{++_nextId}";
        Sent.Add(activity);
        return Task.FromResult<ResourceResponse?>(new ResourceResponse { Id = activity.Id });
    }

    public Task<ResourceResponse?> SendActivityAsync(string text, CancellationToken cancellationToken = default) =>
        SendActivityAsync(Activity.CreateMessageActivity(text), cancellationToken);

    public Task<ResourceResponse?> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        Updated.Add(activity);
        return Task.FromResult<ResourceResponse?>(new ResourceResponse { Id = activity.Id });
    }

    public Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void SetInvokeResponse(InvokeResponse response) => InvokeResponse = response;
}
