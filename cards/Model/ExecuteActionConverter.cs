using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PastDueBot.Cards.Model;

/// <summary>
/// Writes an <see cref="ExecuteAction"/> held in a property of that exact type through its polymorphic base,
/// so the JSON carries <c>"type":"Action.Execute"</c>; System.Text.Json adds the discriminator only when the
/// declared type is the base. Without it the renderer drops a card's refresh action as an unknown action type.
/// </summary>
public sealed class ExecuteActionConverter : JsonConverter<ExecuteAction>
{
    public override ExecuteAction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, Action(options)) as ExecuteAction
        ?? throw new JsonException("Expected an Action.Execute.");

    public override void Write(Utf8JsonWriter writer, ExecuteAction value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Action(options));

    private static JsonTypeInfo<CardAction> Action(JsonSerializerOptions options) => (JsonTypeInfo<CardAction>)options.GetTypeInfo(typeof(CardAction));
}
