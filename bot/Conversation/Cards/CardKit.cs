using PastDueBot.Cards.Model;

namespace PastDueBot.Conversation.Cards;

/// <summary>The building blocks all of PastDueBot's cards share, so they look and behave alike.</summary>
internal static class CardKit
{
    public static AdaptiveCard Card(IReadOnlyList<CardElement> body, IReadOnlyList<CardAction>? actions, string fallbackText) => new()
    {
        Body = body,
        Actions = actions is { Count: > 0 } ? actions : null,
        FallbackText = fallbackText,
        Teams = new TeamsCardProperties("Full"),
    };

    public static TextBlock Title(string text, TextColor? color = null) =>
        new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = TextBlockStyle.Heading, Color = color };

    public static TextBlock Text(string text) => new(text);

    public static TextBlock Subtle(string text) => new(text) { IsSubtle = true, Size = TextSize.Small };

    /// <summary>What the server found wrong with the last submit, shown above the form it re-sends.</summary>
    public static Container Problem(string intro, string problem) =>
        new([new TextBlock(intro) { Weight = TextWeight.Bolder }, new TextBlock(problem)]) { Id = "problem", Style = ContainerStyle.Attention };

    public static FactSet Facts(params (string Title, string Value)[] facts) =>
        new(facts.Select(fact => new Fact(fact.Title, fact.Value)).ToList());

    public static SubmitAction Submit(string title, string id, CardStamp stamp, string verb, params (string Key, string Value)[] extra) =>
        new(title) { Id = id, Data = stamp.Data(verb, extra) };

    /// <summary>Cancel never collects or validates inputs, so half-filled forms can always be left.</summary>
    public static SubmitAction Cancel(string title, CardStamp stamp) =>
        new(title) { Id = "cancel", Data = stamp.Data(CardIds.Cancel), AssociatedInputs = AssociatedInputs.None };

    /// <summary>Month choices "01 – January" in the person's language.</summary>
    public static ChoiceSetInput MonthInput(string id, string label, string error, System.Globalization.CultureInfo culture, int? selected) =>
        new(Enumerable.Range(1, 12)
            .Select(month => new Choice($"{month:00} – {culture.DateTimeFormat.GetMonthName(month)}", month.ToString("00", culture)))
            .ToList())
        {
            Id = id,
            Label = label,
            IsRequired = true,
            ErrorMessage = error,
            Style = ChoiceInputStyle.Compact,
            Value = selected?.ToString("00", culture),
        };

    /// <summary>This year and the next twenty: a card is never issued for longer.</summary>
    public static ChoiceSetInput YearInput(string id, string label, string error, int fromYear, int? selected) =>
        new(Enumerable.Range(fromYear, 21).Select(year => new Choice(year.ToString(System.Globalization.CultureInfo.InvariantCulture), year.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList())
        {
            Id = id,
            Label = label,
            IsRequired = true,
            ErrorMessage = error,
            Style = ChoiceInputStyle.Compact,
            Value = selected?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
}
