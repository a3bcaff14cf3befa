using System.Text.Json;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Answers to an <c>adaptiveCard/action</c> invoke: HTTP 200 with <c>{statusCode, type, value}</c>, where the value is
/// a replacement card or a message shown to the user; errors carry their status in both places.
/// </summary>
public static class CardInvokeResponses
{
    /// <summary>Replaces the clicked card (for the clicking user) with <paramref name="card"/>.</summary>
    public static InvokeResponse Card(JsonElement card) =>
        Create(200, new AdaptiveCardInvokeResponse { StatusCode = 200, Type = AdaptiveCardInvokeResponse.CardType, Value = card });

    /// <summary>Shows <paramref name="text"/> as a short message; the card stays as it is.</summary>
    public static InvokeResponse Message(string text) =>
        Create(200, new AdaptiveCardInvokeResponse
        {
            StatusCode = 200,
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = JsonSerializer.SerializeToElement(text, ProtocolJson.Context.String),
        });

    /// <summary>An error the client shows (e.g. 400 <c>NotSupported</c>), returned with that HTTP status as the SDK does.</summary>
    public static InvokeResponse Error(int statusCode, string code, string message) =>
        Create(statusCode, new AdaptiveCardInvokeResponse
        {
            StatusCode = statusCode,
            Type = AdaptiveCardInvokeResponse.ErrorType,
            Value = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["code"] = code, ["message"] = message }, ProtocolJson.Context.DictionaryStringString),
        });

    private static InvokeResponse Create(int status, AdaptiveCardInvokeResponse body) =>
        new(status, JsonSerializer.SerializeToElement(body, ProtocolJson.Context.AdaptiveCardInvokeResponse));
}
