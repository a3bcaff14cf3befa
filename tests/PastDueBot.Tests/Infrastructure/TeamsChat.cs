using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>A running bot a chat can talk to: in-process (<see cref="BotTestHost"/>) or a child process (<see cref="BotProcess"/>).</summary>
public interface IChatEndpoint
{
    Uri MessagesEndpoint { get; }

    HttpClient Http { get; }

    LoopbackConnector Connector { get; }
}

/// <summary>One activity the bot sent to the connector, with the id the connector gave it.</summary>
public sealed record BotReply(string Method, string Target, string ActivityId, JsonObject Activity)
{
    public string? Text => (string?)Activity["text"];

    public JsonObject? Card => Activity["attachments"]?[0]?["content"] as JsonObject;

    /// <summary>The activity as JSON text with nothing escaped (the wire escapes apostrophes as \u0027).</summary>
    public string Json => Activity.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary>A person in a 1:1 Teams chat with the bot, typing and clicking cards as Teams would send them (anonymous channel).</summary>
public sealed class TeamsChat(IChatEndpoint host, string aadObjectId, string locale, string? conversationId = null, string? userId = null)
{
    private readonly string _conversationId = conversationId ?? "a:" + Guid.NewGuid().ToString("N");
    private readonly string _userId = userId ?? "29:" + Guid.NewGuid().ToString("N");

    /// <summary>The same person in the same chat, talking to another bot process.</summary>
    public TeamsChat On(IChatEndpoint other) => new(other, aadObjectId, locale, _conversationId, _userId);

    /// <summary>Clicks an Action.Execute with the data of the Action.Submit for <paramref name="verb"/>: an adaptiveCard/action invoke.</summary>
    public async Task<(JsonObject Body, IReadOnlyList<BotReply> Replies)> ExecuteAsync(BotReply card, string verb, string trigger = "manual")
    {
        var data = (JsonObject)FindSubmit(card, verb, null)["data"]!.DeepClone();
        var before = host.Connector.Requests.Count;
        var activity = new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = card.ActivityId,
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data }, ["trigger"] = trigger },
        };
        var body = await PostAsync(activity);
        return (JsonNode.Parse(body)!.AsObject(), Replies(before));
    }

    /// <summary>Waits (bounded) until the bot has posted something containing <paramref name="text"/> since request <paramref name="from"/>.</summary>
    public async Task<BotReply> WaitForAsync(int from, string text)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = Replies(from).FirstOrDefault(reply => reply.Json.Contains(text, StringComparison.Ordinal));
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The bot never posted '{text}'.");
    }

    public int RequestCount => host.Connector.Requests.Count;

    public string ConversationId => _conversationId;

    public Task<IReadOnlyList<BotReply>> SayAsync(string text) => SendAsync(new JsonObject { ["type"] = "message", ["text"] = text });

    /// <summary>
    /// Clicks the Action.Submit whose data has <paramref name="verb"/> (and the given data values), with the inputs
    /// filled in. <paramref name="activityId"/>: the activity's id (to redeliver one), else a new one.
    /// </summary>
    public Task<IReadOnlyList<BotReply>> SubmitAsync(BotReply card, string verb, IReadOnlyDictionary<string, string>? inputs = null, string? choice = null, string? activityId = null)
    {
        var action = FindSubmit(card, verb, choice);
        var value = (JsonObject)action["data"]!.DeepClone();
        foreach (var (key, input) in inputs ?? new Dictionary<string, string>()) value[key] = input;
        var activity = new JsonObject { ["type"] = "message", ["value"] = value, ["replyToId"] = card.ActivityId };
        if (activityId is not null) activity["id"] = activityId;
        return SendAsync(activity);
    }

    public async Task<IReadOnlyList<BotReply>> SendAsync(JsonObject activity)
    {
        var before = host.Connector.Requests.Count;
        await PostAsync(activity);
        return Replies(before);
    }

    private async Task<string> PostAsync(JsonObject activity)
    {
        activity["id"] ??= Guid.NewGuid().ToString("N");
        activity["channelId"] = "msteams";
        activity["serviceUrl"] = host.Connector.ServiceUrl;
        activity["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
        activity["locale"] = locale;
        activity["from"] = new JsonObject { ["id"] = _userId, ["name"] = "Ada Admin", ["aadObjectId"] = aadObjectId };
        activity["recipient"] = new JsonObject { ["id"] = "28:pastduebot", ["name"] = "PastDueBot" };
        activity["conversation"] ??= new JsonObject { ["id"] = _conversationId, ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } };

        using var response = await host.Http.PostAsJsonAsync(host.MessagesEndpoint, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>What the bot has sent since request number <paramref name="from"/> (proactive posts included).</summary>
    public IReadOnlyList<BotReply> Replies(int from) => host.Connector.Requests
        .Select((request, index) => (request, index))
        .Skip(from)
        .Where(pair => pair.request.Body.Length > 0
            && (pair.request.RawTarget.Contains(Uri.EscapeDataString(_conversationId), StringComparison.Ordinal)
                || pair.request.RawTarget.Contains(_conversationId, StringComparison.Ordinal)))
        .Select(pair => new BotReply(pair.request.Method, pair.request.RawTarget,
            pair.request.Method == "PUT" ? pair.request.RawTarget.Split('/')[^1] : $"activity-{pair.index + 1}",
            JsonNode.Parse(pair.request.Body)!.AsObject()))
        .ToList();

    private static JsonObject FindSubmit(BotReply card, string verb, string? choice)
    {
        var actions = Descendants(card.Card).Where(node => (string?)node["type"] == "Action.Submit" && (string?)node["data"]?["verb"] == verb);
        if (choice is not null) actions = actions.Where(node => (string?)node["data"]?["choice"] == choice);
        return actions.FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"No '{verb}' button on the card: {card.Json}");
    }

    public static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                    foreach (var inner in Descendants(child)) yield return inner;
                break;
            case JsonArray array:
                foreach (var child in array)
                    foreach (var inner in Descendants(child)) yield return inner;
                break;
        }
    }
}
