using System.Text.Json;
using System.Text.Json.Serialization;
using PastDueBot.Cards.Model;

namespace PastDueBot.Cards;

/// <summary>Serialises the card model to Adaptive Card JSON: camelCase, nulls omitted, enums as strings.</summary>
public static class CardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public static string Serialize(AdaptiveCard card) => JsonSerializer.Serialize(card, Options);

    public static JsonElement ToElement(AdaptiveCard card) => JsonSerializer.SerializeToElement(card, Options);
}
