namespace PastDueBot.Cards.Model;

/// <summary>Common input properties; validation (isRequired, errorMessage, label) needs card version 1.3 or later.</summary>
public abstract record InputElement : CardElement
{
    public string? Label { get; init; }
    public bool? IsRequired { get; init; }
    public string? ErrorMessage { get; init; }
}

public sealed record TextInput : InputElement
{
    public string? Placeholder { get; init; }
    public string? Value { get; init; }
    public string? Regex { get; init; }
    public int? MaxLength { get; init; }
    public bool? IsMultiline { get; init; }
    public TextInputStyle? Style { get; init; }
}

public sealed record ChoiceSetInput(IReadOnlyList<Choice> Choices) : InputElement
{
    public string? Value { get; init; }
    public ChoiceInputStyle? Style { get; init; }
    public bool? IsMultiSelect { get; init; }
    public string? Placeholder { get; init; }
}

public sealed record Choice(string Title, string Value);

public sealed record ToggleInput(string Title) : InputElement
{
    public string? Value { get; init; }
    public string? ValueOn { get; init; }
    public string? ValueOff { get; init; }
}

/// <summary>Date values are YYYY-MM-DD.</summary>
public sealed record DateInput : InputElement
{
    public string? Value { get; init; }
    public string? Min { get; init; }
    public string? Max { get; init; }
}

public sealed record NumberInput : InputElement
{
    public double? Value { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public string? Placeholder { get; init; }
}
