using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Conversation.Cards;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Removes a card number and security code from the inbound activity once read, so that nothing later in the turn
/// (state, logs, transcripts) can pick them up from it.
/// </summary>
public static class SensitiveInput
{
    private static readonly string[] Keys = [CardIds.CardNumber, CardIds.SecurityCode];

    public static void Scrub(Activity activity, CardSubmit submit)
    {
        foreach (var key in Keys) submit.Data.Remove(key);
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value) return;
        if (JsonNode.Parse(value.GetRawText()) is not JsonObject copy) return;
        foreach (var key in Keys) copy.Remove(key);
        if (copy["action"] is JsonObject { } action && action["data"] is JsonObject data)
        {
            foreach (var key in Keys) data.Remove(key);
        }
        activity.Value = JsonSerializer.SerializeToElement(copy, ProtocolJson.Context.JsonNode);
    }
}
