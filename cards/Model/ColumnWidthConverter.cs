using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PastDueBot.Cards.Model;

/// <summary>
/// Column widths as the schema spells them: "auto", "stretch" and "50px" are strings, a relative weight is a
/// JSON number. The model takes every width as a string, so a weight such as "2" is written as 2.
/// </summary>
public sealed class ColumnWidthConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? reader.GetDouble().ToString(CultureInfo.InvariantCulture)
            : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight))
        {
            writer.WriteNumberValue(weight);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
