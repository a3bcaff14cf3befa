using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>Asks for text (SDK: TextPrompt). A message with empty text (e.g. a card submit) is not recognised.</summary>
public class TextPrompt(string dialogId, PromptValidator<string>? validator = null) : Prompt<string>(dialogId, validator)
{
    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, CancellationToken cancellationToken)
    {
        var text = turnContext.Activity.Text;
        return Task.FromResult(string.IsNullOrWhiteSpace(text)
            ? PromptRecognizerResult<string>.Failed
            : PromptRecognizerResult<string>.Success(text.Trim()));
    }
}
