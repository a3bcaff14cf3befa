using System.Text.Json;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// What a failed connector call said about itself. The Bot Connector documents <c>{"error":{"code","message"}}</c>,
/// but Teams answers a thread that is blocked from message writes (the user blocked or uninstalled the bot) with its
/// messaging service's own shape: <c>{"errorCode":209,"message":"{\"subCode\": \"MessageWritesBlocked\", \"details\": …}"}</c>,
/// a JSON object serialized into <c>message</c>. Both are read here; a body that is neither (a gateway's HTML page) gives nothing.
/// </summary>
public sealed record ConnectorErrorBody(string? Code, string? SubCode, string? Message)
{
    private static readonly ConnectorErrorBody None = new(null, null, null);

    public static ConnectorErrorBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return None;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) return None;
            var root = document.RootElement;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;

            var code = StringOf(error, "code") ?? StringOf(root, "code");
            var message = StringOf(error, "message") ?? StringOf(root, "message");
            var subCode = StringOf(error, "subCode") ?? StringOf(root, "subCode");
            string? details = null;
            if (Embedded(message) is { } embedded)
            {
                using (embedded)
                {
                    subCode ??= StringOf(embedded.RootElement, "subCode");
                    details = StringOf(embedded.RootElement, "details");
                }
            }
            return new ConnectorErrorBody(code, subCode, details ?? message);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    /// <summary>A message that is itself a JSON object (Teams' messaging service nests its error there).</summary>
    private static JsonDocument? Embedded(string? message)
    {
        if (message is null || !message.TrimStart().StartsWith('{')) return null;
        try
        {
            var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
            // A message that merely starts with a brace.
        }
        return null;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text ? text : null;
}
