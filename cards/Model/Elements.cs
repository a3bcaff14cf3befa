using System.Text.Json.Serialization;

namespace PastDueBot.Cards.Model;

/// <summary>An element of a card body. The JSON <c>type</c> is written from the derived type.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Image), "Image")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ChoiceSetInput), "Input.ChoiceSet")]
[JsonDerivedType(typeof(ToggleInput), "Input.Toggle")]
[JsonDerivedType(typeof(DateInput), "Input.Date")]
[JsonDerivedType(typeof(NumberInput), "Input.Number")]
public abstract record CardElement
{
    public string? Id { get; init; }
    public Spacing? Spacing { get; init; }
    public bool? Separator { get; init; }
    public bool? IsVisible { get; init; }
}

public sealed record TextBlock(string Text) : CardElement
{
    public bool? Wrap { get; init; } = true;
    public TextWeight? Weight { get; init; }
    public TextSize? Size { get; init; }
    public TextColor? Color { get; init; }
    public bool? IsSubtle { get; init; }
    public HorizontalAlignment? HorizontalAlignment { get; init; }
    public int? MaxLines { get; init; }
    public TextBlockStyle? Style { get; init; }
}

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

public sealed record Fact(string Title, string Value);

public sealed record Image(string Url) : CardElement
{
    public string? AltText { get; init; }
    public ImageSize? Size { get; init; }
    public ImageStyle? Style { get; init; }
}

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    public ContainerStyle? Style { get; init; }
    public bool? Bleed { get; init; }
}

public sealed record ColumnSet(IReadOnlyList<Column> Columns) : CardElement;

/// <summary>A column; <see cref="Width"/> is "auto", "stretch", a pixel width such as "80px", or a weight such as "2" (written as a number).</summary>
public sealed record Column(IReadOnlyList<CardElement> Items)
{
    [JsonPropertyOrder(-10)] public string Type => "Column";
    [JsonConverter(typeof(ColumnWidthConverter))] public string? Width { get; init; }
    public VerticalAlignment? VerticalContentAlignment { get; init; }
}

public sealed record ActionSet(IReadOnlyList<CardAction> Actions) : CardElement;
