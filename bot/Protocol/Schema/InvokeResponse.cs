using System.Text.Json;

namespace PastDueBot.Protocol.Schema;

/// <summary>The HTTP answer to an invoke activity: status and JSON body (SDK: InvokeResponse).</summary>
public sealed record InvokeResponse(int Status, JsonElement? Body = null);

/// <summary>
/// Body of the answer to an <c>adaptiveCard/action</c> invoke (Universal Actions):
/// <c>{statusCode, type, value}</c>.
/// </summary>
public sealed class AdaptiveCardInvokeResponse
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public int StatusCode { get; set; } = 200;
    public string? Type { get; set; }
    public JsonElement? Value { get; set; }
}

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed class AdaptiveCardInvokeValue
{
    public const string InvokeName = "adaptiveCard/action";

    public AdaptiveCardInvokeAction? Action { get; set; }
    /// <summary><c>manual</c> for a click, <c>automatic</c> for a refresh.</summary>
    public string? Trigger { get; set; }
}

public sealed class AdaptiveCardInvokeAction
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Verb { get; set; }
    public JsonElement? Data { get; set; }
}
