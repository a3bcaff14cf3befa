using System.Text.Json;

namespace PastDueBot.Protocol.Storage;

/// <summary>
/// How state values become stored JSON: web defaults (camelCase, case-insensitive reads), so a stored document
/// survives restarts and renames of nothing but C# casing. Reflection-based, because state holds app types.
/// </summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 64 };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
