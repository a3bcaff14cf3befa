using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Dialogs;

/// <summary>What the bot did in one turn.</summary>
public sealed record TurnReply(IReadOnlyList<Activity> Activities, InvokeResponse? InvokeResponse, DialogTurnResult Result)
{
    public IReadOnlyList<string?> Texts => Activities.Select(a => a.Text).ToList();

    /// <summary>The <c>value</c> of an invoke response body ({statusCode,type,value}).</summary>
    public JsonElement InvokeBody => InvokeResponse?.Body ?? throw new InvalidOperationException("No invoke response was set.");
}

/// <summary>
/// Drives a root dialog turn by turn like a restarting bot: each turn builds the dialogs afresh from
/// <see cref="RootFactory"/> and starts from the JSON the previous turn stored.
/// </summary>
public sealed class DialogTestClient(Func<Dialog> rootFactory, string locale = "en-US", string conversationType = ConversationTypes.Personal)
{
    private int _nextId;

    public Func<Dialog> RootFactory { get; set; } = rootFactory;

    /// <summary>Replaces <see cref="DialogExtensions.RunAsync"/> as the bot's turn logic when set.</summary>
    public Func<ITurnContext, Dialog, IStatePropertyAccessor<DialogState>, Task<DialogTurnResult>>? TurnHandler { get; set; }

    public JsonRoundTripStateAccessor<DialogState> Accessor { get; } = new("DialogState");

    public JsonObject StoredState => JsonNode.Parse(Accessor.StoredJson ?? "{}")!.AsObject();

    public Task<TurnReply> SendTextAsync(string text) => SendAsync(NewActivity(ActivityTypes.Message, text: text));

    /// <summary>An Action.Submit: a message whose value is the card's inputs merged with the action data.</summary>
    public Task<TurnReply> SubmitCardAsync(object value, string? text = null, string? replyToId = "bot-1")
    {
        var activity = NewActivity(ActivityTypes.Message, text: text);
        activity.Value = JsonSerializer.SerializeToElement(value);
        activity.ReplyToId = replyToId;
        return SendAsync(activity);
    }

    /// <summary>An Action.Execute: an adaptiveCard/action invoke.</summary>
    public Task<TurnReply> ExecuteCardAsync(string verb, object? data, string actionType = "Action.Execute", string trigger = "manual")
    {
        var activity = NewActivity(ActivityTypes.Invoke);
        activity.Name = "adaptiveCard/action";
        activity.ReplyToId = "bot-1";
        activity.Value = JsonSerializer.SerializeToElement(new
        {
            action = new { type = actionType, id = "act-" + verb, verb, data },
            trigger,
        });
        return SendAsync(activity);
    }

    public async Task<TurnReply> SendAsync(Activity activity)
    {
        var root = RootFactory();
        var context = new TestTurnContext(activity);
        var result = TurnHandler is null
            ? await root.RunAsync(context, Accessor, CancellationToken.None)
            : await TurnHandler(context, root, Accessor);
        Accessor.Save(context);
        return new TurnReply(context.Sent, context.InvokeResponse, result);
    }

    public Activity NewActivity(string type, string? text = null) => new()
    {
        Type = type,
        Id = $"user-{++_nextId}",
        Text = text,
        ChannelId = Channels.Msteams,
        Locale = locale,
        ServiceUrl = "https://smba.example.test/teams/",
        From = new ChannelAccount { Id = "29:user", Name = "Alex", AadObjectId = "00000000-0000-0000-0000-000000000001" },
        Recipient = new ChannelAccount { Id = "28:bot", Name = "PastDueBot" },
        Conversation = new ConversationAccount { Id = "a:conversation", ConversationType = conversationType, TenantId = "tenant" },
    };
}
