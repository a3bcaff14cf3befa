using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// A team channel as Teams talks to the bot about it: the install (conversationUpdate, bot added), messages typed in
/// the channel, and Action.Execute clicks on a card in a thread (adaptiveCard/action invokes). Answers go to the
/// host's loopback connector.
/// </summary>
public sealed class TeamsChannel(BotTestHost host, string channelId = "19:general-1@thread.tacv2", string tenantId = "tenant-1", string locale = "en-US")
{
    public const string BotId = "28:pastduebot";

    public string ChannelId => channelId;

    /// <summary>The bot added to the team: Teams posts a conversationUpdate in the General channel (channelData names the team, not the channel).</summary>
    public Task<JsonObject> InstallAsync() => PostAsync(new JsonObject
    {
        ["type"] = "conversationUpdate",
        ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId }),
        ["conversation"] = Conversation(channelId),
        ["channelData"] = new JsonObject
        {
            ["team"] = new JsonObject { ["id"] = channelId, ["name"] = "Finance" },
            ["eventType"] = "teamMemberAdded",
            ["tenant"] = new JsonObject { ["id"] = tenantId },
        },
    }, "29:installer", "installer-1");

    public Task<JsonObject> UninstallAsync() => PostAsync(new JsonObject
    {
        ["type"] = "conversationUpdate",
        ["membersRemoved"] = new JsonArray(new JsonObject { ["id"] = BotId }),
        ["conversation"] = Conversation(channelId),
        ["channelData"] = ChannelData(),
    }, "29:installer", "installer-1");

    /// <summary>A message typed in a new thread of the channel, mentioning the bot as Teams requires there.</summary>
    public Task<JsonObject> SayAsync(string text) => PostAsync(new JsonObject
    {
        ["type"] = "message",
        ["text"] = $"<at>PastDueBot</at> {text}",
        ["conversation"] = Conversation($"{channelId};messageid={Guid.NewGuid():N}"),
        ["channelData"] = ChannelData(),
    }, "29:typist", "typist-1");

    /// <summary>Clicks an Action.Execute of a card posted in thread <paramref name="threadId"/>; returns the invoke's HTTP body.</summary>
    public Task<JsonObject> ExecuteAsync(JsonObject card, string verb, string threadId, string rootActivityId, string userId, string aadObjectId)
    {
        var action = TeamsChat.Descendants(card).FirstOrDefault(node => (string?)node["type"] == "Action.Execute" && (string?)node["verb"] == verb)
            ?? throw new Xunit.Sdk.XunitException($"No Action.Execute '{verb}' on {card.ToJsonString()}");
        return PostAsync(new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = rootActivityId,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = (string?)action["id"], ["verb"] = verb, ["data"] = action["data"]!.DeepClone() },
                ["trigger"] = "manual",
            },
            ["conversation"] = Conversation(threadId),
            ["channelData"] = ChannelData(),
        }, userId, aadObjectId);
    }

    private JsonObject Conversation(string id) => new() { ["id"] = id, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = tenantId };

    private JsonObject ChannelData() => new()
    {
        ["team"] = new JsonObject { ["id"] = channelId },
        ["channel"] = new JsonObject { ["id"] = channelId },
        ["tenant"] = new JsonObject { ["id"] = tenantId },
    };

    private async Task<JsonObject> PostAsync(JsonObject activity, string userId, string aadObjectId)
    {
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["channelId"] = "msteams";
        activity["serviceUrl"] = host.Connector.ServiceUrl;
        activity["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
        activity["locale"] = locale;
        activity["from"] = new JsonObject { ["id"] = userId, ["name"] = "Someone", ["aadObjectId"] = aadObjectId };
        activity["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "PastDueBot" };
        using var response = await host.Http.PostAsJsonAsync(host.MessagesEndpoint, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject();
    }
}
