using System.Text.Json;
using System.Text.Json.Serialization;
using PastDueBot.Cards.Model;

namespace PastDueBot.Cards;

/// <summary>Serialises the card model to Adaptive Card JSON: camelCase, nulls omitted, enums as strings.</summary>
public static class CardJson
{
    public static string Serialize(AdaptiveCard card) => JsonSerializer.Serialize(card, CardJsonContext.Default.AdaptiveCard);

    public static JsonElement ToElement(AdaptiveCard card) => JsonSerializer.SerializeToElement(card, CardJsonContext.Default.AdaptiveCard);
}

/// <summary>The card model's contracts, generated at build time (no reflection: the bot can run as Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AdaptiveCard))]
[JsonSerializable(typeof(CardAction))]
public sealed partial class CardJsonContext : JsonSerializerContext;
