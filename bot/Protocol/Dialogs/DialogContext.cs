using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// The dialog stack of one turn and the operations on it (SDK: DialogContext). Index 0 of <see cref="Stack"/> is the
/// active dialog. A component's inner context has the outer context as <see cref="Parent"/>.
/// </summary>
public class DialogContext
{
    public DialogContext(DialogSet dialogs, ITurnContext turnContext, DialogState state, DialogContext? parent = null)
    {
        Dialogs = dialogs ?? throw new ArgumentNullException(nameof(dialogs));
        Context = turnContext ?? throw new ArgumentNullException(nameof(turnContext));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Parent = parent;
    }

    /// <summary>A context over the same stack (used by <see cref="WaterfallStepContext"/>).</summary>
    protected DialogContext(DialogContext source)
        : this(source.Dialogs, source.Context, source.State, source.Parent)
    {
    }

    public DialogSet Dialogs { get; }

    public ITurnContext Context { get; }

    /// <summary>The persisted state this context operates on.</summary>
    public DialogState State { get; }

    public List<DialogInstance> Stack => State.DialogStack;

    /// <summary>The context of the component this context's dialogs run inside, if any.</summary>
    public DialogContext? Parent { get; }

    public DialogInstance? ActiveDialog => Stack.Count > 0 ? Stack[0] : null;

    /// <summary>Finds a dialog in this context's set, then in the parents' sets.</summary>
    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId) ?? Parent?.FindDialog(dialogId);

    /// <summary>Pushes a new instance of the dialog and begins it.</summary>
    public async Task<DialogTurnResult> BeginDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dialogId);
        var dialog = FindDialog(dialogId) ?? throw new InvalidOperationException($"Dialog '{dialogId}' was not found.");
        Stack.Insert(0, new DialogInstance { Id = dialogId, Version = dialog.GetVersion() });
        return await dialog.BeginDialogAsync(this, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Begins a prompt with its options (SDK: PromptAsync).</summary>
    public Task<DialogTurnResult> PromptAsync(string dialogId, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BeginDialogAsync(dialogId, options, cancellationToken);
    }

    /// <summary>Hands the turn's activity to the active dialog; <see cref="DialogTurnStatus.Empty"/> when nothing is active.</summary>
    public async Task<DialogTurnResult> ContinueDialogAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is not { } instance) return new DialogTurnResult(DialogTurnStatus.Empty);
        var dialog = FindDialog(instance.Id)
            ?? throw new InvalidOperationException($"The active dialog '{instance.Id}' was not found (the stack was written by other code).");
        return await dialog.ContinueDialogAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the active dialog and resumes the one below it with <paramref name="result"/>.</summary>
    public async Task<DialogTurnResult> EndDialogAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is not null)
        {
            await EndActiveDialogAsync(DialogReason.EndCalled, cancellationToken).ConfigureAwait(false);
        }

        if (ActiveDialog is { } below)
        {
            var dialog = FindDialog(below.Id) ?? throw new InvalidOperationException($"Dialog '{below.Id}' was not found to resume.");
            return await dialog.ResumeDialogAsync(this, DialogReason.EndCalled, result, cancellationToken).ConfigureAwait(false);
        }

        // The stack is empty: a component's ContinueDialogAsync sees Complete and ends itself in its parent.
        return new DialogTurnResult(DialogTurnStatus.Complete, result);
    }

    /// <summary>Ends the active dialog and begins another in its place, without resuming the dialog below.</summary>
    public async Task<DialogTurnResult> ReplaceDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is not null)
        {
            await EndActiveDialogAsync(DialogReason.ReplaceCalled, cancellationToken).ConfigureAwait(false);
        }

        return await BeginDialogAsync(dialogId, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every dialog on this stack (each gets <see cref="DialogReason.CancelCalled"/>); with
    /// <paramref name="cancelParents"/> the enclosing components' stacks too. <see cref="DialogTurnStatus.Cancelled"/>
    /// when anything was cancelled, else <see cref="DialogTurnStatus.Empty"/>.
    /// </summary>
    public async Task<DialogTurnResult> CancelAllDialogsAsync(bool cancelParents = false, CancellationToken cancellationToken = default)
    {
        var cancelled = Stack.Count > 0;
        while (Stack.Count > 0)
        {
            await EndActiveDialogAsync(DialogReason.CancelCalled, cancellationToken).ConfigureAwait(false);
        }

        if (cancelParents && Parent is not null)
        {
            var parentResult = await Parent.CancelAllDialogsAsync(true, cancellationToken).ConfigureAwait(false);
            cancelled |= parentResult.Status == DialogTurnStatus.Cancelled;
        }

        return new DialogTurnResult(cancelled ? DialogTurnStatus.Cancelled : DialogTurnStatus.Empty);
    }

    /// <summary>Asks the active dialog to re-send its prompt.</summary>
    public async Task RepromptDialogAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveDialog is not { } instance) return;
        var dialog = FindDialog(instance.Id) ?? throw new InvalidOperationException($"Dialog '{instance.Id}' was not found to reprompt.");
        await dialog.RepromptDialogAsync(Context, instance, cancellationToken).ConfigureAwait(false);
    }

    private async Task EndActiveDialogAsync(DialogReason reason, CancellationToken cancellationToken)
    {
        var instance = Stack[0];
        // A dialog missing from the code cannot clean up; it is still removed so the stack never jams.
        if (FindDialog(instance.Id) is { } dialog)
        {
            await dialog.EndDialogAsync(Context, instance, reason, cancellationToken).ConfigureAwait(false);
        }

        // Remove this very instance: EndDialogAsync may have altered the stack (e.g. a component cancelling parents).
        Stack.Remove(instance);
    }
}
