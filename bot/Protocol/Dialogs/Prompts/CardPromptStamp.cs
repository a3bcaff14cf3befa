using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>Writes a prompt id into the data of every submit/execute action of an activity's Adaptive Cards.</summary>
/// <remarks>
/// One pass from the card's JSON to a stamped copy, with no intermediate tree: this runs on every prompt a dialog
/// sends, and a JsonNode round trip was a tenth of the bytes the bot allocated per turn. The buffer and writer are
/// reused per thread (the pass never awaits), and property names are copied as UTF-8 rather than made into strings.
/// </remarks>
internal static class CardPromptStamp
{
    private const string DataKey = "data";

    /// <summary>A buffer that grew past this (an unusually large card) is not kept for the next pass.</summary>
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static void Apply(Activity? activity, string promptId)
    {
        if (activity?.Attachments is null) return;
        foreach (var attachment in activity.Attachments)
        {
            if (attachment.ContentType != Attachment.AdaptiveCardContentType || attachment.Content is not { ValueKind: JsonValueKind.Object } content) continue;
            attachment.Content = Stamped(content, promptId);
        }
    }

    private static JsonElement Stamped(JsonElement content, string promptId)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, content, promptId);
            writer.Flush();
            return JsonElement.Parse(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset(Stream.Null); // let go of the buffer until the next pass
            if (buffer.Capacity > KeptBufferBytes) (t_buffer, t_writer) = (null, null);
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, string promptId)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var stamped = IsStampedAction(element);
                var hasData = false;
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    WriteName(writer, property);
                    if (stamped && property.NameEquals(DataKey))
                    {
                        hasData = true;
                        WriteData(writer, property.Value, promptId);
                    }
                    else
                    {
                        Write(writer, property.Value, promptId);
                    }
                }
                if (stamped && !hasData)
                {
                    writer.WritePropertyName(DataKey);
                    WriteData(writer, default, promptId);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item, promptId);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// The name as it stands in the source, UTF-8, without making a string of it; a name with an escape sequence
    /// (never in the bot's own cards) is unescaped first, as the writer would otherwise escape the backslash.
    /// </summary>
    private static void WriteName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') < 0) writer.WritePropertyName(raw);
        else writer.WritePropertyName(property.Name);
    }

    private static bool IsStampedAction(JsonElement obj) =>
        obj.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
        (type.ValueEquals("Action.Submit") || type.ValueEquals(CardSubmit.ExecuteActionType));

    // An explicit promptId in the card wins; string data (legal for Action.Submit) cannot carry one and is left alone.
    private static void WriteData(Utf8JsonWriter writer, JsonElement data, string promptId)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                writer.WriteStartObject();
                writer.WriteString(CardSubmit.PromptIdKey, promptId);
                writer.WriteEndObject();
                break;
            case JsonValueKind.Object when !data.TryGetProperty(CardSubmit.PromptIdKey, out _):
                writer.WriteStartObject();
                foreach (var property in data.EnumerateObject())
                {
                    WriteName(writer, property);
                    Write(writer, property.Value, promptId);
                }
                writer.WriteString(CardSubmit.PromptIdKey, promptId);
                writer.WriteEndObject();
                break;
            default:
                Write(writer, data, promptId);
                break;
        }
    }
}
