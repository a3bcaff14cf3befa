namespace PastDueBot.Protocol.Dialogs;

/// <summary>One option of a <see cref="ChoicePrompt"/> (SDK: Choice). <see cref="Value"/> is returned; <see cref="Title"/> is shown.</summary>
public sealed record Choice(string Value, string? Title = null, IReadOnlyList<string>? Synonyms = null)
{
    public string DisplayTitle => Title ?? Value;
}

/// <summary>The choice the user picked (SDK: FoundChoice). <see cref="Index"/> is zero-based.</summary>
public sealed record FoundChoice(string Value, int Index, string MatchedText);
