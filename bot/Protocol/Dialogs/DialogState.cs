using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// The persisted dialog stack (SDK: DialogState), stored as one property of conversation state.
/// JSON: <c>{"dialogStack":[{"id":…,"version":…,"state":{…}}]}</c>. Index 0 is the top (the active dialog), as in the SDK.
/// </summary>
public sealed class DialogState
{
    public DialogState()
    {
    }

    public DialogState(List<DialogInstance> stack) => DialogStack = stack;

    public List<DialogInstance> DialogStack { get; set; } = [];

    /// <summary>
    /// Each dialog's state becomes a JsonObject over its part of the stored document, not a copy of it: the stack
    /// carries the active prompt's card, a few KB copied on every turn otherwise.
    /// </summary>
    public static DialogState ReadStored(JsonElement json, JsonSerializerOptions options) =>
        json.ValueKind == JsonValueKind.Object
            ? ReadNode(JsonObject.Create(json, new JsonNodeOptions { PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive }), options)!
            : json.Deserialize(options.TypeInfoFor<DialogState>())!;

    /// <summary>
    /// A stack kept as a JSON node (a component's inner stack, or a stored one), read as a copy the caller may change:
    /// each dialog's state is a clone of its node, which shares the node's parsed document instead of copying it.
    /// Anything not in the shape this writes goes through the serializer, which reads it or says why not.
    /// </summary>
    public static DialogState? ReadNode(JsonNode? node, JsonSerializerOptions options)
    {
        if (node is null) return null;
        if (node is not JsonObject root || root["dialogStack"] is not JsonArray items) return node.Deserialize(options.TypeInfoFor<DialogState>());

        var stack = new List<DialogInstance>(items.Count);
        foreach (var item in items)
        {
            if (item is not JsonObject entry
                || entry["id"] is not JsonValue id || !id.TryGetValue<string>(out var idText)
                || !TryReadVersion(entry["version"], out var version)
                || entry["state"] is not (null or JsonObject))
            {
                return node.Deserialize(options.TypeInfoFor<DialogState>());
            }

            stack.Add(new DialogInstance
            {
                Id = idText,
                Version = version,
                State = entry["state"] is JsonObject state ? (JsonObject)state.DeepClone() : [],
            });
        }
        return new DialogState(stack);
    }

    /// <summary>
    /// The stack as the node the serializer would make of it, built from each dialog's state node instead of writing
    /// the stack out and parsing it back: a component saves its inner stack, card and all, this way every turn. Each
    /// state is a clone (a clone of a parsed object shares its document), so the node and this stack stay independent.
    /// </summary>
    public JsonObject ToNode(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var nodeOptions = new JsonNodeOptions { PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive };
        var writeNulls = options.DefaultIgnoreCondition is not (JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault);
        string Name(string property) => options.PropertyNamingPolicy?.ConvertName(property) ?? property;

        var items = new JsonArray(nodeOptions);
        foreach (var instance in DialogStack)
        {
            var entry = new JsonObject(nodeOptions) { [Name(nameof(DialogInstance.Id))] = instance.Id };
            if (instance.Version is not null || writeNulls) entry[Name(nameof(DialogInstance.Version))] = instance.Version;
            entry[Name(nameof(DialogInstance.State))] = instance.State.DeepClone();
            items.Add((JsonNode)entry);
        }
        return new JsonObject(nodeOptions) { [Name(nameof(DialogStack))] = items };
    }

    private static bool TryReadVersion(JsonNode? node, out string? version)
    {
        version = null;
        return node is null || (node is JsonValue value && value.TryGetValue(out version));
    }
}

/// <summary>
/// One dialog on the stack (SDK: DialogInstance). <see cref="State"/> is a JSON object rather than a dictionary of CLR
/// objects so that it reads the same before and after a JSON round trip; read it with <see cref="DialogValues"/>.
/// </summary>
public sealed class DialogInstance
{
    public string Id { get; set; } = "";

    /// <summary>The dialog's <see cref="Dialog.GetVersion"/> when this instance began; a mismatch means the code changed.</summary>
    public string? Version { get; set; }

    public JsonObject State { get; set; } = [];
}
