using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>How a card reached the bot.</summary>
public enum CardSubmitKind
{
    /// <summary>Action.Submit: a message activity whose <c>value</c> holds the inputs merged with the action's data.</summary>
    Submit,

    /// <summary>Action.Execute: an <c>adaptiveCard/action</c> invoke; the channel waits for an invoke response.</summary>
    Execute,
}

/// <summary>
/// An Adaptive Card submit as step input: the inputs and action data, the verb, and which prompt's card it came from.
/// Recognised from Action.Submit messages (text may be empty) and from Action.Execute invokes alike.
/// </summary>
/// <param name="Kind">Submit (message) or Execute (invoke).</param>
/// <param name="Data">Inputs merged with the action's data (Teams' <c>msteams</c> key included when present).</param>
/// <param name="Verb">Action.Execute's <c>verb</c>; for Action.Submit the <c>verb</c> key of the data, by convention.</param>
/// <param name="PromptId">The <c>promptId</c> key of the data: which prompt's card was used.</param>
/// <param name="ReplyToId">The card message's activity id (Teams), to update the card afterwards.</param>
/// <param name="ActionId">Action.Execute's <c>id</c>, when set.</param>
public sealed record CardSubmit(CardSubmitKind Kind, JsonObject Data, string? Verb, string? PromptId, string? ReplyToId, string? ActionId = null)
{
    public const string PromptIdKey = "promptId";
    public const string VerbKey = "verb";
    public const string ExecuteActionType = "Action.Execute";

    /// <summary>Set by <see cref="CardSubmitPrompt"/>: the submit came from another (older) prompt's card.</summary>
    public bool IsStale { get; init; }

    /// <summary>A data value as <typeparamref name="T"/>, or default when missing or not convertible.</summary>
    public T? GetValue<T>(string key)
    {
        if (!Data.TryGetPropertyValue(key, out var node) || node is null) return default;
        try
        {
            return DialogJson.Read<T>(node);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A data value as text (numbers and booleans are converted), or null.</summary>
    public string? GetString(string key) =>
        Data.TryGetPropertyValue(key, out var node) && node is JsonValue value
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : null;

    /// <summary>
    /// Reads a card submit from an activity: a message with an object <c>value</c> (Action.Submit), or an
    /// <c>adaptiveCard/action</c> invoke of type Action.Execute started by a click. Refresh invokes
    /// (<c>trigger: automatic</c>) are not submits.
    /// </summary>
    public static bool TryFromActivity(Activity activity, [NotNullWhen(true)] out CardSubmit? submit)
    {
        ArgumentNullException.ThrowIfNull(activity);
        submit = null;

        if (activity.Type == ActivityTypes.Message)
        {
            if (activity.Value is not { ValueKind: JsonValueKind.Object } value) return false;
            var data = ToObject(value);
            submit = new CardSubmit(CardSubmitKind.Submit, data, ReadString(data, VerbKey), ReadString(data, PromptIdKey), activity.ReplyToId);
            return true;
        }

        if (!IsCardActionInvoke(activity) || activity.Value is not { ValueKind: JsonValueKind.Object } invokeValue) return false;
        if (invokeValue.TryGetProperty("trigger", out var trigger) && trigger.ValueKind == JsonValueKind.String && trigger.GetString() == "automatic") return false;
        if (!invokeValue.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object) return false;
        if (ReadString(action, "type") != ExecuteActionType) return false;

        var actionData = action.TryGetProperty("data", out var dataElement) && dataElement.ValueKind == JsonValueKind.Object ? ToObject(dataElement) : [];
        submit = new CardSubmit(
            CardSubmitKind.Execute,
            actionData,
            ReadString(action, "verb") ?? ReadString(actionData, VerbKey),
            ReadString(actionData, PromptIdKey),
            activity.ReplyToId,
            ReadString(action, "id"));
        return true;
    }

    /// <summary>True for an <c>adaptiveCard/action</c> invoke (Universal Actions).</summary>
    public static bool IsCardActionInvoke(Activity activity) =>
        activity.Type == ActivityTypes.Invoke && activity.Name == AdaptiveCardInvokeValue.InvokeName;

    /// <summary>True for an automatic card refresh invoke, which the bot must answer itself (it is never prompt input).</summary>
    public static bool IsRefreshInvoke(Activity activity) =>
        IsCardActionInvoke(activity)
        && activity.Value is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("trigger", out var trigger)
        && trigger.ValueKind == JsonValueKind.String
        && trigger.GetString() == "automatic";

    private static JsonObject ToObject(JsonElement element) => JsonNode.Parse(element.GetRawText()) as JsonObject ?? [];

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    private static string? ReadString(JsonObject data, string name) =>
        data.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
