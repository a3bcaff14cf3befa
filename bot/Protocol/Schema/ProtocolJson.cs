using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PastDueBot.Protocol.Schema;

/// <summary>The JSON conventions of the Bot Framework wire format: camelCase, nulls omitted.</summary>
public static class ProtocolJson
{
    public static ProtocolJsonContext Context { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A channel's numbers and strings are taken as they come; a wrong type is a JsonException (400), never a crash.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        MaxDepth = 64,
    });
}

[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(List<Activity>))]
[JsonSerializable(typeof(TeamsChannelData))]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(Error))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(PagedMembersResult))]
[JsonSerializable(typeof(List<ChannelAccount>))]
[JsonSerializable(typeof(ChannelAccount))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(AdaptiveCardInvokeValue))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonNode))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
