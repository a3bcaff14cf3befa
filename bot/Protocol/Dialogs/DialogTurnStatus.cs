namespace PastDueBot.Protocol.Dialogs;

/// <summary>The state of the dialog stack after a dialog operation (SDK: DialogTurnStatus).</summary>
public enum DialogTurnStatus
{
    /// <summary>The stack is empty: nothing was active.</summary>
    Empty,

    /// <summary>The active dialog waits for the user's next input.</summary>
    Waiting,

    /// <summary>The dialog completed; <see cref="DialogTurnResult.Result"/> holds its result.</summary>
    Complete,

    /// <summary>The dialog was cancelled.</summary>
    Cancelled,

    /// <summary>The dialog completed but wants to keep the turn (mirrors the SDK; unused by the built-in dialogs).</summary>
    CompleteAndWait,
}
