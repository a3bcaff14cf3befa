using System.Text.Json.Nodes;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// The persisted dialog stack (SDK: DialogState), stored as one property of conversation state.
/// JSON: <c>{"dialogStack":[{"id":…,"version":…,"state":{…}}]}</c>. Index 0 is the top (the active dialog), as in the SDK.
/// </summary>
public sealed class DialogState
{
    public DialogState()
    {
    }

    public DialogState(List<DialogInstance> stack) => DialogStack = stack;

    public List<DialogInstance> DialogStack { get; set; } = [];
}

/// <summary>
/// One dialog on the stack (SDK: DialogInstance). <see cref="State"/> is a JSON object rather than a dictionary of CLR
/// objects so that it reads the same before and after a JSON round trip; read it with <see cref="DialogValues"/>.
/// </summary>
public sealed class DialogInstance
{
    public string Id { get; set; } = "";

    /// <summary>The dialog's <see cref="Dialog.GetVersion"/> when this instance began; a mismatch means the code changed.</summary>
    public string? Version { get; set; }

    public JsonObject State { get; set; } = [];
}
