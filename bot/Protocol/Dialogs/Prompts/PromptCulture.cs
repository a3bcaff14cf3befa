using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>Picks the built-in prompts' own wording (English or Dutch) from the turn's locale.</summary>
internal static class PromptCulture
{
    public static bool IsDutch(ITurnContext turnContext, string? defaultLocale) =>
        (turnContext.Activity.Locale ?? defaultLocale ?? "en-US").StartsWith("nl", StringComparison.OrdinalIgnoreCase);

    public static string Pick(ITurnContext turnContext, string? defaultLocale, string english, string dutch) =>
        IsDutch(turnContext, defaultLocale) ? dutch : english;
}
