using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// One state document as a turn sees it: properties kept as stored JSON until a caller asks for them, then as
/// the live objects it got (so in-place changes to a dialog stack are saved), plus the ETag it was read with
/// and the JSON it was read as.
/// </summary>
internal sealed class CachedBotState
{
    private readonly OrderedDictionary<string, Entry> _properties = new(StringComparer.Ordinal);

    // Serialize runs synchronously from the first byte to the string, so one buffer per thread serves every save.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? SerializeBuffer;

    private CachedBotState(string? etag) => ETag = etag;

    /// <summary>The ETag read from storage; null when the document did not exist (the next write creates it).</summary>
    public string? ETag { get; set; }

    /// <summary>
    /// The JSON last read or written (null: none, so the next save writes); a save is skipped while the document
    /// still serialises to it. Kept whole rather than hashed: comparing a few KB is cheaper than hashing them.
    /// </summary>
    public string? Stored { get; set; }

    /// <summary>
    /// A document with no properties. <paramref name="dirty"/>: the next save writes it even so (after a clear);
    /// otherwise only loading an absent document never creates one.
    /// </summary>
    public static CachedBotState Empty(string? etag, bool dirty)
    {
        var state = new CachedBotState(etag);
        state.Stored = dirty ? null : "{}";
        return state;
    }

    public static CachedBotState Parse(string json, string etag)
    {
        var state = new CachedBotState(etag);
        var root = JsonElement.Parse(json); // one parse, owned by the element: no pooled document to copy out of
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A state document must be a JSON object.");
        }
        foreach (var property in root.EnumerateObject())
        {
            state._properties[property.Name] = new Entry(property.Value, null, null);
        }
        // The stored text was written by Serialize, so an unchanged document serialises to it again; a document
        // written otherwise merely gets rewritten once, in the canonical form.
        state.Stored = json;
        return state;
    }

    public bool TryGet<T>(string name, JsonSerializerOptions options, out T value)
    {
        if (!_properties.TryGetValue(name, out var entry))
        {
            value = default!;
            return false;
        }
        if (entry.Type is not null && entry.Value is T live)
        {
            value = live;
            return true;
        }
        if (entry.Type is not null && entry.Value is null && default(T) is null)
        {
            value = default!;
            return true;
        }
        // Materialise once; later reads get the same object, and the save serialises whatever it became.
        var json = entry.Type is null ? entry.Json : JsonSerializer.SerializeToElement(entry.Value, options.GetTypeInfo(entry.Type));
        value = StoredJsonReader<T>.Read(json, options);
        _properties[name] = new Entry(default, value, typeof(T));
        return true;
    }

    public void Set<T>(string name, T value) => _properties[name] = new Entry(default, value, typeof(T));

    public void Remove(string name) => _properties.Remove(name);

    /// <summary>The document as stored: one JSON object, properties in first-seen order.</summary>
    public string Serialize(JsonSerializerOptions options)
    {
        var buffer = SerializeBuffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, entry) in _properties)
            {
                writer.WritePropertyName(name);
                if (entry.Type is null) entry.Json.WriteTo(writer);
                else JsonSerializer.Serialize(writer, entry.Value, options.GetTypeInfo(entry.Type));
            }
            writer.WriteEndObject();
        }
        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024) SerializeBuffer = null; // an unusually large document does not stay resident
        return json;
    }

    /// <summary>Either stored JSON (Type null) or a live value of the type it was read or set as.</summary>
    private readonly record struct Entry(JsonElement Json, object? Value, Type? Type);
}
