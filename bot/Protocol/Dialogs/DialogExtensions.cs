using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

public static class DialogExtensions
{
    /// <summary>
    /// Runs <paramref name="dialog"/> as the root of the conversation (SDK: DialogExtensions.RunAsync): continues the active
    /// dialog with this turn's activity, or begins the root when nothing is active. The bot still saves its BotState after.
    /// </summary>
    /// <remarks>
    /// Versioning: before continuing, every stored instance on the root stack is checked against the code
    /// (<see cref="DialogInstance.Version"/> vs <see cref="Dialog.GetVersion"/>; components include their inner dialogs'
    /// versions). On any mismatch or unknown dialog id the stack is cleared without running any old step, the root's
    /// <see cref="Dialog.OnVersionMismatchAsync"/> is called, and (if it returns true) the root begins afresh.
    /// </remarks>
    public static async Task<DialogTurnResult> RunAsync(this Dialog dialog, ITurnContext turnContext, IStatePropertyAccessor<DialogState> accessor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(accessor);

        var dialogSet = new DialogSet(accessor).Add(dialog);
        var dc = await dialogSet.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);

        DialogTurnResult result;
        if (FindVersionMismatch(dc) is { } mismatch)
        {
            dc.Stack.Clear();
            var restart = await dialog.OnVersionMismatchAsync(turnContext, mismatch, cancellationToken).ConfigureAwait(false);
            result = restart
                ? await dc.BeginDialogAsync(dialog.Id, null, cancellationToken).ConfigureAwait(false)
                : new DialogTurnResult(DialogTurnStatus.Empty);
        }
        else
        {
            result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
            if (result.Status == DialogTurnStatus.Empty)
            {
                result = await dc.BeginDialogAsync(dialog.Id, null, cancellationToken).ConfigureAwait(false);
            }
        }

        await accessor.SetAsync(turnContext, dc.State, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The first instance on <paramref name="dc"/>'s stack that the running code cannot continue, if any.</summary>
    public static DialogVersionMismatch? FindVersionMismatch(DialogContext dc)
    {
        ArgumentNullException.ThrowIfNull(dc);
        foreach (var instance in dc.Stack)
        {
            var current = dc.FindDialog(instance.Id)?.GetVersion();
            if (current is null || !string.Equals(current, instance.Version, StringComparison.Ordinal))
            {
                return new DialogVersionMismatch(instance.Id, instance.Version, current);
            }
        }

        return null;
    }
}
