using System.Text.Json.Nodes;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Asks for one value and ends with it (SDK: Prompt&lt;T&gt;). Instance state: <c>options</c> (the <see cref="PromptOptions"/>)
/// and <c>state</c> (holding <c>attemptCount</c>). Each input: recognise, count the attempt, validate; valid input ends the
/// prompt with the value; invalid input re-sends the retry prompt (or the prompt) unless the validator already replied.
/// </summary>
public abstract class Prompt<T> : Dialog
{
    internal const string OptionsKey = "options";
    internal const string StateKey = "state";
    internal const string AttemptCountKey = "attemptCount";

    private readonly PromptValidator<T>? _validator;

    protected Prompt(string dialogId, PromptValidator<T>? validator = null)
        : base(dialogId)
    {
        _validator = validator;
    }

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        var promptOptions = options switch
        {
            PromptOptions typed => typed,
            null => throw new ArgumentNullException(nameof(options), $"Prompt '{Id}' needs PromptOptions."),
            _ => throw new ArgumentException($"Prompt '{Id}' needs PromptOptions, got {options.GetType().Name}.", nameof(options)),
        };

        var instance = dc.ActiveDialog!;
        // Work on a copy: callers may share one PromptOptions object between conversations. The copy is stored before
        // it is sent, so what sending sets on it (the input hint) is not part of the state.
        var prepared = PrepareOptions(dc.Context, promptOptions.CopyForPrompt());
        instance.State[OptionsKey] = DialogJson.ToNode(prepared);
        var state = new JsonObject { [AttemptCountKey] = 0 };
        instance.State[StateKey] = state;
        await OnPromptAsync(dc.Context, new DialogValues(state), prepared, false, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        if (!AcceptsActivity(dc.Context.Activity)) return EndOfTurn;

        var instance = dc.ActiveDialog!;
        var (state, options) = Read(instance);
        var recognized = await OnRecognizeAsync(dc.Context, state, options, cancellationToken).ConfigureAwait(false);

        var attemptCount = state.GetValueOrDefault<int>(AttemptCountKey) + 1;
        state.SetValue(AttemptCountKey, attemptCount);

        var valid = _validator is null
            ? recognized.Succeeded
            : await _validator(new PromptValidatorContext<T>(dc.Context, recognized, options, state, attemptCount), cancellationToken).ConfigureAwait(false);

        if (valid)
        {
            var result = await dc.EndDialogAsync(recognized.Value, cancellationToken).ConfigureAwait(false);
            await OnInputHandledAsync(dc.Context, recognized, true, cancellationToken).ConfigureAwait(false);
            return result;
        }

        if (!dc.Context.Responded)
        {
            await OnRejectedAsync(dc.Context, state, options, recognized, cancellationToken).ConfigureAwait(false);
        }

        await OnInputHandledAsync(dc.Context, recognized, false, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>A child dialog ended on top of the prompt (unusual): ask again.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        var (state, options) = Read(instance);
        await OnPromptAsync(turnContext, state, options, false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Which activities count as input; others are ignored (the prompt keeps waiting). Default: messages only.</summary>
    protected virtual bool AcceptsActivity(Activity activity) => activity.Type == ActivityTypes.Message;

    /// <summary>Adjusts a private copy of the options before they are stored (e.g. a card prompt assigns its prompt id).</summary>
    protected virtual PromptOptions PrepareOptions(ITurnContext turnContext, PromptOptions options) => options;

    /// <summary>Sends the prompt, or the retry prompt when <paramref name="isRetry"/> and one is set.</summary>
    protected virtual async Task OnPromptAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, bool isRetry, CancellationToken cancellationToken)
    {
        var activity = isRetry && options.RetryPrompt is not null ? options.RetryPrompt : options.Prompt;
        if (activity is null) return;
        activity.InputHint ??= InputHints.ExpectingInput;
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extracts the value from the turn's activity.</summary>
    protected abstract Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, CancellationToken cancellationToken);

    /// <summary>Input was invalid and nobody has replied yet: by default re-send the retry prompt (or the prompt).</summary>
    protected virtual Task OnRejectedAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, PromptRecognizerResult<T> recognized, CancellationToken cancellationToken) =>
        OnPromptAsync(turnContext, state, options, true, cancellationToken);

    /// <summary>Runs last in a turn that gave the prompt input, after any parent steps ran (e.g. to answer an invoke).</summary>
    protected virtual Task OnInputHandledAsync(ITurnContext turnContext, PromptRecognizerResult<T> recognized, bool accepted, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // Options are re-read from JSON on every use so that sending never mutates a caller's object and a restart changes nothing.
    private static (DialogValues State, PromptOptions Options) Read(DialogInstance instance)
    {
        if (instance.State[StateKey] is not JsonObject state)
        {
            state = new JsonObject();
            instance.State[StateKey] = state;
        }

        var stored = instance.State[OptionsKey];
        var options = stored is JsonObject written ? PromptOptions.FromStored(written) : DialogJson.Read<PromptOptions>(stored) ?? new PromptOptions();
        return (new DialogValues(state), options);
    }
}
