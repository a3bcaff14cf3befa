using System.Globalization;

namespace PastDueBot.Conversation.Resources;

/// <summary>The languages the bot speaks and how a person's language is chosen.</summary>
public static class BotLanguages
{
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en-US");
    public static CultureInfo Dutch { get; } = CultureInfo.GetCultureInfo("nl-NL");

    public static IReadOnlyList<CultureInfo> Supported { get; } = [English, Dutch];

    /// <summary>The person's own choice wins over the channel's locale; anything unknown falls back to English.</summary>
    public static CultureInfo Resolve(string? personalChoice, string? activityLocale) =>
        Parse(personalChoice) ?? Parse(activityLocale) ?? English;

    /// <summary>Reads "nl", "nl-BE", "Dutch", "Nederlands", "en-GB", "engels" ...; null when it is neither language.</summary>
    public static CultureInfo? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var word = text.Trim().ToLowerInvariant();
        if (word is "dutch" or "nederlands" or "nl" || word.StartsWith("nl-", StringComparison.Ordinal) || word.StartsWith("nl_", StringComparison.Ordinal))
        {
            return Dutch;
        }
        if (word is "english" or "engels" or "en" || word.StartsWith("en-", StringComparison.Ordinal) || word.StartsWith("en_", StringComparison.Ordinal))
        {
            return English;
        }
        return null;
    }

    /// <summary>
    /// Makes <paramref name="culture"/> the culture of the current async flow: resources (IStringLocalizer reads
    /// CurrentUICulture) and number/date formatting follow it until the calling async method returns.
    /// </summary>
    public static void Apply(CultureInfo culture)
    {
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}
