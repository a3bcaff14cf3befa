using System.Text.RegularExpressions;

namespace PastDueBot.Conversation.Commands;

/// <summary>
/// Turns typed text into a command, in English and Dutch. Mentions (<c>&lt;at&gt;PastDueBot&lt;/at&gt;</c> in
/// channels), case, surrounding punctuation and a leading slash are ignored; anything else is not a command.
/// </summary>
public static partial class CommandRecognizer
{
    private static readonly Dictionary<string, CommandKind> Words = new(StringComparer.Ordinal)
    {
        ["settle"] = CommandKind.Settle,
        ["pay"] = CommandKind.Settle,
        ["balance"] = CommandKind.Settle,
        ["settle balance"] = CommandKind.Settle,
        ["pay balance"] = CommandKind.Settle,
        ["vereffenen"] = CommandKind.Settle,
        ["betalen"] = CommandKind.Settle,
        ["saldo"] = CommandKind.Settle,
        ["saldo vereffenen"] = CommandKind.Settle,
        ["help"] = CommandKind.Help,
        ["hulp"] = CommandKind.Help,
        ["?"] = CommandKind.Help,
        ["cancel"] = CommandKind.Cancel,
        ["stop"] = CommandKind.Cancel,
        ["annuleren"] = CommandKind.Cancel,
        ["annuleer"] = CommandKind.Cancel,
        ["alerts on"] = CommandKind.AlertsOn,
        ["alerts off"] = CommandKind.AlertsOff,
        ["alerts status"] = CommandKind.AlertsStatus,
        ["alerts"] = CommandKind.AlertsStatus,
        ["meldingen aan"] = CommandKind.AlertsOn,
        ["meldingen uit"] = CommandKind.AlertsOff,
        ["meldingen status"] = CommandKind.AlertsStatus,
        ["meldingen"] = CommandKind.AlertsStatus,
    };

    public static RecognizedCommand Recognize(string? text)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0) return RecognizedCommand.None;
        if (Words.TryGetValue(normalized, out var kind)) return new RecognizedCommand(kind);

        var language = LanguageCommand().Match(normalized);
        if (language.Success)
        {
            var argument = language.Groups["arg"].Value;
            return new RecognizedCommand(CommandKind.Language, argument.Length == 0 ? null : argument);
        }
        return RecognizedCommand.None;
    }

    /// <summary>Lower case, mentions removed, whitespace collapsed, trailing punctuation and a leading "/" dropped.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return string.Empty;
        var withoutMentions = Mention().Replace(text, " ");
        var collapsed = Whitespace().Replace(withoutMentions, " ").Trim().ToLowerInvariant();
        collapsed = collapsed.TrimStart('/').TrimEnd('.', '!', ',', ';').Trim();
        return collapsed == "?" ? collapsed : collapsed.TrimEnd('?').Trim();
    }

    [GeneratedRegex(@"<at>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Mention();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(language|taal|lang)(\s+(?<arg>[a-z_\-]+))?$")]
    private static partial Regex LanguageCommand();
}
