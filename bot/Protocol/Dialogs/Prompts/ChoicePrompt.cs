using System.Globalization;
using System.Text;
using System.Text.Json;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Asks the user to pick one of <see cref="PromptOptions.Choices"/> (SDK: ChoicePrompt). The answer matches a choice's
/// value, title or synonym (case-insensitive, trimmed) or its 1-based number. Rendering follows Teams: up to 3 choices as
/// suggested actions in personal chat, otherwise a numbered list in the prompt's text.
/// </summary>
public class ChoicePrompt(string dialogId, PromptValidator<FoundChoice>? validator = null) : Prompt<FoundChoice>(dialogId, validator)
{
    private const int MaxSuggestedActions = 3;

    /// <summary>The choice <paramref name="text"/> designates, or null.</summary>
    public static FoundChoice? Recognize(string? text, IReadOnlyList<Choice> choices)
    {
        var answer = (text ?? "").Trim();
        if (answer.Length == 0) return null;

        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i];
            var names = new[] { choice.Value, choice.Title }.Concat(choice.Synonyms ?? []);
            if (names.Any(name => name is not null && string.Equals(name.Trim(), answer, StringComparison.OrdinalIgnoreCase)))
            {
                return new FoundChoice(choice.Value, i, answer);
            }
        }

        var number = answer.TrimEnd('.', ')');
        if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= choices.Count)
        {
            return new FoundChoice(choices[n - 1].Value, n - 1, answer);
        }

        return null;
    }

    protected override Task OnPromptAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, bool isRetry, CancellationToken cancellationToken)
    {
        var choices = options.Choices ?? [];
        var personal = turnContext.Activity.Conversation?.ConversationType is null or ConversationTypes.Personal;
        foreach (var activity in new[] { options.Prompt, options.RetryPrompt })
        {
            if (activity is null || choices.Count == 0) continue;
            if (personal && choices.Count <= MaxSuggestedActions)
            {
                activity.SuggestedActions ??= new SuggestedActions { Actions = choices.Select(ImBack).ToList() };
            }
            else
            {
                activity.Text = AppendList(activity.Text, choices);
            }
        }

        return base.OnPromptAsync(turnContext, state, options, isRetry, cancellationToken);
    }

    protected override Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(Recognize(turnContext.Activity.Text, options.Choices ?? []) is { } found
            ? PromptRecognizerResult<FoundChoice>.Success(found)
            : PromptRecognizerResult<FoundChoice>.Failed);

    private static CardAction ImBack(Choice choice) =>
        new() { Type = "imBack", Title = choice.DisplayTitle, Value = JsonSerializer.SerializeToElement(choice.DisplayTitle, ProtocolJson.Context.String) };

    private static string AppendList(string? text, IReadOnlyList<Choice> choices)
    {
        var builder = new StringBuilder(text ?? "");
        for (var i = 0; i < choices.Count; i++)
        {
            builder.Append(builder.Length == 0 ? "" : i == 0 ? "\n\n" : "\n").Append(CultureInfo.InvariantCulture, $"{i + 1}. {choices[i].DisplayTitle}");
        }

        return builder.ToString();
    }
}
