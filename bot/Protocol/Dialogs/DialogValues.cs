using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Typed access to a persisted JSON object (a dialog's state or a waterfall's values). Values are serialised on write and
/// deserialised on read, so <c>GetValue&lt;int&gt;</c> works whether the value was written this turn or restored from storage.
/// </summary>
public sealed class DialogValues(JsonObject node)
{
    /// <summary>The underlying JSON object (what is persisted).</summary>
    public JsonObject Node { get; } = node;

    public bool ContainsKey(string key) => Node.ContainsKey(key);

    public IEnumerable<string> Keys => Node.Select(pair => pair.Key);

    public JsonNode? this[string key]
    {
        get => Node[key];
        set => Node[key] = value?.Parent is null ? value : value.DeepClone();
    }

    /// <summary>The value, or an exception naming the key when it is missing or null.</summary>
    public T GetValue<T>(string key) =>
        TryGetValue<T>(key, out var value) ? value : throw new KeyNotFoundException($"Dialog value '{key}' is missing.");

    /// <summary>The value, or <paramref name="defaultValue"/> when missing or null.</summary>
    public T? GetValueOrDefault<T>(string key, T? defaultValue = default) =>
        TryGetValue<T>(key, out var value) ? value : defaultValue;

    public bool TryGetValue<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        if (!Node.TryGetPropertyValue(key, out var node) || node is null) return false;
        try
        {
            value = DialogJson.Read<T>(node);
        }
        catch (JsonException)
        {
            return false;
        }

        return value is not null;
    }

    public void SetValue<T>(string key, T value) => Node[key] = DialogJson.ToNode(value);

    public bool Remove(string key) => Node.Remove(key);
}
