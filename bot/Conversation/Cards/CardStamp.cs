using System.Text.Json.Nodes;

namespace PastDueBot.Conversation.Cards;

/// <summary>
/// Extra data every button of a card carries back, e.g. which dialog instance and step sent the card, so that a
/// click on an old card can be recognised as stale.
/// </summary>
public sealed record CardStamp(IReadOnlyDictionary<string, string> Values)
{
    public static CardStamp None { get; } = new(new Dictionary<string, string>());

    public static CardStamp Of(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));

    /// <summary>A fresh data object for one button: the verb, the stamp, then the button's own values.</summary>
    public JsonObject Data(string verb, params (string Key, string Value)[] extra)
    {
        var data = new JsonObject { [CardIds.Verb] = verb };
        foreach (var (key, value) in Values) data[key] = value;
        foreach (var (key, value) in extra) data[key] = value;
        return data;
    }
}
