using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Decides whether a recognised value is acceptable. It may reply itself (e.g. "the amount must be positive"); when it
/// has replied (<see cref="ITurnContext.Responded"/>), the prompt does not send its retry prompt as well.
/// </summary>
public delegate Task<bool> PromptValidator<T>(PromptValidatorContext<T> promptContext, CancellationToken cancellationToken);

/// <summary>What a validator sees (SDK: PromptValidatorContext).</summary>
public sealed class PromptValidatorContext<T>
{
    internal PromptValidatorContext(ITurnContext context, PromptRecognizerResult<T> recognized, PromptOptions options, DialogValues state, int attemptCount)
    {
        Context = context;
        Recognized = recognized;
        Options = options;
        State = state;
        AttemptCount = attemptCount;
    }

    public ITurnContext Context { get; }

    public PromptRecognizerResult<T> Recognized { get; }

    public PromptOptions Options { get; }

    /// <summary>The prompt's own persisted state, for validators that keep counters of their own.</summary>
    public DialogValues State { get; }

    /// <summary>How many inputs this prompt has received, this one included (1 on the first answer).</summary>
    public int AttemptCount { get; }
}
