using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>Writes a prompt id into the data of every submit/execute action of an activity's Adaptive Cards.</summary>
internal static class CardPromptStamp
{
    private static readonly HashSet<string> StampedActionTypes = new(StringComparer.Ordinal) { "Action.Submit", CardSubmit.ExecuteActionType };

    public static void Apply(Activity? activity, string promptId)
    {
        if (activity?.Attachments is null) return;
        foreach (var attachment in activity.Attachments)
        {
            if (attachment.ContentType != Attachment.AdaptiveCardContentType || attachment.Content is not { ValueKind: JsonValueKind.Object } content) continue;
            var card = JsonNode.Parse(content.GetRawText())!;
            Stamp(card, promptId);
            attachment.Content = JsonSerializer.SerializeToElement(card, DialogJson.Options);
        }
    }

    private static void Stamp(JsonNode node, string promptId)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && StampedActionTypes.Contains(type.GetValue<string>()))
                {
                    StampAction(obj, promptId);
                }

                foreach (var child in obj.Select(pair => pair.Value).OfType<JsonNode>().ToList()) Stamp(child, promptId);
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>().ToList()) Stamp(child, promptId);
                break;
        }
    }

    // An explicit promptId in the card wins; string data (legal for Action.Submit) cannot carry one and is left alone.
    private static void StampAction(JsonObject action, string promptId)
    {
        switch (action["data"])
        {
            case null:
                action["data"] = new JsonObject { [CardSubmit.PromptIdKey] = promptId };
                break;
            case JsonObject data when !data.ContainsKey(CardSubmit.PromptIdKey):
                data[CardSubmit.PromptIdKey] = promptId;
                break;
        }
    }
}
