using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>A unit of conversation that can sit on the dialog stack (SDK: Dialog).</summary>
public abstract class Dialog
{
    /// <summary>The result that says "waiting for the user" (SDK: Dialog.EndOfTurn).</summary>
    public static readonly DialogTurnResult EndOfTurn = new(DialogTurnStatus.Waiting);

    protected Dialog(string dialogId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dialogId);
        Id = dialogId;
    }

    public string Id { get; }

    /// <summary>
    /// Identifies the dialog's shape. Recorded on each <see cref="DialogInstance"/>; when the stored version differs from the
    /// code's, <see cref="DialogExtensions.RunAsync"/> restarts instead of running a step that no longer means the same thing.
    /// </summary>
    public virtual string GetVersion() => Id;

    /// <summary>Called when the dialog is pushed onto the stack.</summary>
    public abstract Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default);

    /// <summary>Called with the user's next activity while this dialog is active. By default the dialog ends.</summary>
    public virtual Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default) =>
        dc.EndDialogAsync(null, cancellationToken);

    /// <summary>Called when a child dialog this one started has ended. By default the child's result ends this dialog too.</summary>
    public virtual Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default) =>
        dc.EndDialogAsync(result, cancellationToken);

    /// <summary>Asks the user again (e.g. after an interruption such as "help").</summary>
    public virtual Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Called when the instance is removed from the stack (ended, replaced or cancelled) to release resources.</summary>
    public virtual Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>
    /// Called by <see cref="DialogExtensions.RunAsync"/> on the root dialog when the stored stack was written by another
    /// version of the code. The stack has already been cleared. Send an apology here ("I was updated, let's start again")
    /// and return true to begin this dialog afresh in the same turn, or false to stay idle until the next activity.
    /// </summary>
    public virtual Task<bool> OnVersionMismatchAsync(ITurnContext turnContext, DialogVersionMismatch mismatch, CancellationToken cancellationToken = default) =>
        Task.FromResult(true);
}
