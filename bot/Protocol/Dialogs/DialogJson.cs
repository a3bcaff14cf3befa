using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// How dialog state values become JSON and back. Every value is written as JSON at the moment it is stored, so a step
/// reads the same thing in the turn it was written and after a restart (no JsonElement-versus-CLR-type surprises).
/// The types are those state can hold (<see cref="StateJson.AddTypes"/>); enums are written as names.
/// </summary>
public static class DialogJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>A detached JSON node for <paramref name="value"/> (nodes are deep-copied: a node has one parent).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, Options.GetTypeInfo(value.GetType())),
    };

    /// <summary>Reads a node as <typeparamref name="T"/>; numbers convert freely (a stored 3 reads as int or long).</summary>
    public static T? Read<T>(JsonNode? node)
    {
        if (node is null) return default;
        if (node is T same) return same;
        return node.Deserialize(Options.TypeInfoFor<T>());
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = StateJson.TypeResolver,
        };
        options.MakeReadOnly();
        return options;
    }
}
