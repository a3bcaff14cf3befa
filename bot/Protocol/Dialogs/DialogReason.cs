namespace PastDueBot.Protocol.Dialogs;

/// <summary>Why a dialog is being started, resumed or ended (SDK: DialogReason).</summary>
public enum DialogReason
{
    BeginCalled,
    ContinueCalled,
    EndCalled,
    ReplaceCalled,
    CancelCalled,
    NextCalled,
}
