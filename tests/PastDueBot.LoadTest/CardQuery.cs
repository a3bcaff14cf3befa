using System.Text.Json.Nodes;

namespace PastDueBot.LoadTest;

/// <summary>Reads a sent Adaptive Card the way a person looks at it: which buttons it has, what a choice list offers.</summary>
public static class CardQuery
{
    /// <summary>The Action.Submit whose data has this <c>verb</c> (and <c>choice</c>, when given), anywhere on the card.</summary>
    public static JsonObject? FindSubmit(JsonObject? card, string verb, string? choice = null) =>
        Descendants(card).FirstOrDefault(node => (string?)node["type"] == "Action.Submit"
            && node["data"] is JsonObject data
            && (string?)data["verb"] == verb
            && (choice is null || (string?)data["choice"] == choice));

    public static bool HasSubmit(Received received, string verb, string? choice = null) => FindSubmit(received.Card, verb, choice) is not null;

    /// <summary>The value of the first choice of input <paramref name="inputId"/> whose title starts with <paramref name="titlePrefix"/>.</summary>
    public static string? ChoiceValue(JsonObject? card, string inputId, string titlePrefix)
    {
        var input = Descendants(card).FirstOrDefault(node => (string?)node["type"] == "Input.ChoiceSet" && (string?)node["id"] == inputId);
        return input?["choices"] is JsonArray choices
            ? choices.OfType<JsonObject>().FirstOrDefault(c => ((string?)c["title"])?.StartsWith(titlePrefix, StringComparison.Ordinal) == true)?["value"]?.GetValue<string>()
            : null;
    }

    /// <summary>What Teams puts in <c>value</c> for a click: the button's data plus the card's inputs.</summary>
    public static JsonObject SubmitValue(JsonObject action, params (string Key, string Value)[] inputs)
    {
        var value = (JsonObject)action["data"]!.DeepClone();
        foreach (var (key, input) in inputs) value[key] = input;
        return value;
    }

    public static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        var stack = new Stack<JsonNode>();
        if (node is not null) stack.Push(node);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject obj:
                    yield return obj;
                    foreach (var (_, child) in obj) if (child is not null) stack.Push(child);
                    break;
                case JsonArray array:
                    for (var i = array.Count - 1; i >= 0; i--) if (array[i] is { } child) stack.Push(child);
                    break;
            }
        }
    }
}
