using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// A dialog made of dialogs (SDK: ComponentDialog). Its inner stack is persisted in its own instance state under the key
/// <c>dialogs</c>; when the inner stack finishes (complete or cancelled) the component ends in its parent with the result.
/// </summary>
/// <remarks>
/// Interruptions: override <see cref="OnContinueDialogAsync"/>, look at <c>innerDc.Context.Activity</c> before the
/// active dialog does, and either return <c>await innerDc.CancelAllDialogsAsync()</c> ("cancel": the component then ends
/// with a null result) or send a reply and return <see cref="Dialog.EndOfTurn"/> ("help": the waiting prompt stays
/// active and keeps its attempt count); otherwise call the base method.
/// </remarks>
public class ComponentDialog : Dialog
{
    internal const string PersistedDialogsKey = "dialogs";

    public ComponentDialog(string dialogId)
        : base(dialogId)
    {
    }

    /// <summary>The inner dialog begun first; defaults to the first dialog added.</summary>
    public string? InitialDialogId { get; set; }

    /// <summary>An explicit version to add to the component's computed version (bump to force running conversations to restart).</summary>
    public string? Version { get; init; }

    protected DialogSet Dialogs { get; } = new();

    public ComponentDialog AddDialog(Dialog dialog)
    {
        Dialogs.Add(dialog);
        InitialDialogId ??= dialog.Id;
        return this;
    }

    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId);

    /// <summary>Changes whenever any inner dialog's version (or the explicit <see cref="Version"/>) changes.</summary>
    public override string GetVersion() => $"{Id}:{Version}{(Version is null ? "" : ":")}{Dialogs.GetVersion()}";

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext outerDc, object? options = null, CancellationToken cancellationToken = default)
    {
        var instance = outerDc.ActiveDialog ?? throw new InvalidOperationException($"Component '{Id}' is not on the stack.");
        var innerState = new DialogState();
        var innerDc = new DialogContext(Dialogs, outerDc.Context, innerState, outerDc);
        var turnResult = await OnBeginDialogAsync(innerDc, options, cancellationToken).ConfigureAwait(false);
        return await AfterInnerTurnAsync(outerDc, instance, innerState, turnResult, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext outerDc, CancellationToken cancellationToken = default)
    {
        var instance = outerDc.ActiveDialog ?? throw new InvalidOperationException($"Component '{Id}' is not on the stack.");
        var innerState = LoadInnerState(instance);
        var innerDc = new DialogContext(Dialogs, outerDc.Context, innerState, outerDc);
        var turnResult = await OnContinueDialogAsync(innerDc, cancellationToken).ConfigureAwait(false);
        return await AfterInnerTurnAsync(outerDc, instance, innerState, turnResult, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A component starts no dialogs on the outer stack itself; if one ends there, the inner dialog is re-prompted.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext outerDc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        if (outerDc.ActiveDialog is { } instance) await RepromptDialogAsync(outerDc.Context, instance, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        var innerState = LoadInnerState(instance);
        var innerDc = new DialogContext(Dialogs, turnContext, innerState);
        await OnRepromptDialogAsync(turnContext, innerDc, cancellationToken).ConfigureAwait(false);
        SaveInnerState(instance, innerState);
    }

    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        if (reason == DialogReason.CancelCalled)
        {
            var innerState = LoadInnerState(instance);
            var innerDc = new DialogContext(Dialogs, turnContext, innerState);
            await innerDc.CancelAllDialogsAsync(false, cancellationToken).ConfigureAwait(false);
            SaveInnerState(instance, innerState);
        }

        await OnEndDialogAsync(turnContext, instance, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Begins the initial inner dialog with the component's options.</summary>
    protected virtual Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken)
    {
        if (InitialDialogId is null) throw new InvalidOperationException($"Component '{Id}' has no dialogs.");
        return innerDc.BeginDialogAsync(InitialDialogId, options, cancellationToken);
    }

    /// <summary>The interruption hook: runs before the active inner dialog sees the activity. See the class remarks.</summary>
    protected virtual Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken) =>
        innerDc.ContinueDialogAsync(cancellationToken);

    protected virtual Task OnRepromptDialogAsync(ITurnContext turnContext, DialogContext innerDc, CancellationToken cancellationToken) =>
        innerDc.RepromptDialogAsync(cancellationToken);

    protected virtual Task OnEndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Ends the component in its parent; override to shape the result.</summary>
    protected virtual Task<DialogTurnResult> EndComponentAsync(DialogContext outerDc, object? result, CancellationToken cancellationToken) =>
        outerDc.EndDialogAsync(result, cancellationToken);

    private async Task<DialogTurnResult> AfterInnerTurnAsync(DialogContext outerDc, DialogInstance instance, DialogState innerState, DialogTurnResult turnResult, CancellationToken cancellationToken)
    {
        SaveInnerState(instance, innerState);
        if (turnResult.Status == DialogTurnStatus.Waiting) return EndOfTurn;

        // The inner stack finished (or an interruption cancelled it parent-wide): end the component if it is still active.
        if (!ReferenceEquals(outerDc.ActiveDialog, instance)) return turnResult;
        return await EndComponentAsync(outerDc, turnResult.Result, cancellationToken).ConfigureAwait(false);
    }

    private static DialogState LoadInnerState(DialogInstance instance) =>
        DialogState.ReadNode(instance.State[PersistedDialogsKey], DialogJson.Options) ?? new DialogState();

    private static void SaveInnerState(DialogInstance instance, DialogState innerState) =>
        instance.State[PersistedDialogsKey] = innerState.ToNode(DialogJson.Options);
}
