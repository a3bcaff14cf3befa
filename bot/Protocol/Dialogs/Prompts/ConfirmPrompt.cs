using System.Text.Json;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Asks a yes/no question (SDK: ConfirmPrompt). Understands English and Dutch answers whatever the locale
/// (yes/y/ok/ja/j…, no/n/nee…, or 1/2 for the rendered options); the Yes/No buttons are labelled in the turn's locale.
/// </summary>
public class ConfirmPrompt(string dialogId, PromptValidator<bool>? validator = null) : Prompt<bool>(dialogId, validator)
{
    private static readonly HashSet<string> YesWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "y", "yeah", "yep", "ok", "okay", "sure", "1", "ja", "j", "jazeker", "jawel", "prima", "goed",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "n", "nope", "2", "nee", "neen", "nein",
    };

    /// <summary>Locale for the button labels when the activity has none.</summary>
    public string? DefaultLocale { get; init; }

    /// <summary>Whether to add Yes/No suggested actions to the prompt.</summary>
    public bool ShowButtons { get; init; } = true;

    /// <summary>The yes/no meaning of <paramref name="text"/>, or null when it is neither.</summary>
    public static bool? Recognize(string? text)
    {
        var word = Normalize(text);
        if (word.Length == 0) return null;
        if (YesWords.Contains(word)) return true;
        if (NoWords.Contains(word)) return false;
        return null;
    }

    protected override Task OnPromptAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, bool isRetry, CancellationToken cancellationToken)
    {
        if (ShowButtons)
        {
            var yes = PromptCulture.Pick(turnContext, DefaultLocale, "Yes", "Ja");
            var no = PromptCulture.Pick(turnContext, DefaultLocale, "No", "Nee");
            foreach (var activity in new[] { options.Prompt, options.RetryPrompt })
            {
                if (activity is null || activity.SuggestedActions is not null) continue;
                activity.SuggestedActions = new SuggestedActions { Actions = [ImBack(yes), ImBack(no)] };
            }
        }

        return base.OnPromptAsync(turnContext, state, options, isRetry, cancellationToken);
    }

    protected override Task<PromptRecognizerResult<bool>> OnRecognizeAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(Recognize(turnContext.Activity.Text) is { } answer
            ? PromptRecognizerResult<bool>.Success(answer)
            : PromptRecognizerResult<bool>.Failed);

    private static CardAction ImBack(string title) =>
        new() { Type = "imBack", Title = title, Value = JsonSerializer.SerializeToElement(title, ProtocolJson.Context.String) };

    private static string Normalize(string? text) => (text ?? "").Trim().TrimEnd('.', '!', '?').Trim();
}
