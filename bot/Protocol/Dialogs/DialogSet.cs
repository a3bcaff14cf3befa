using System.Security.Cryptography;
using System.Text;
using PastDueBot.Protocol.Builder;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>The dialogs a <see cref="DialogContext"/> can start, by id (SDK: DialogSet).</summary>
public sealed class DialogSet
{
    private readonly Dictionary<string, Dialog> _dialogs = new(StringComparer.Ordinal);
    private readonly IStatePropertyAccessor<DialogState>? _dialogState;
    private string? _version;

    /// <summary>A set whose contexts are created from the given state property (the root set of a bot).</summary>
    public DialogSet(IStatePropertyAccessor<DialogState> dialogState) => _dialogState = dialogState ?? throw new ArgumentNullException(nameof(dialogState));

    /// <summary>A set without its own state (a component's inner set).</summary>
    public DialogSet()
    {
    }

    public IEnumerable<Dialog> GetDialogs() => _dialogs.Values;

    /// <summary>Adds a dialog. Ids are unique within a set.</summary>
    public DialogSet Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        if (_dialogs.TryGetValue(dialog.Id, out var existing))
        {
            if (ReferenceEquals(existing, dialog)) return this;
            throw new InvalidOperationException($"A dialog with id '{dialog.Id}' is already in the set.");
        }

        _dialogs.Add(dialog.Id, dialog);
        _version = null;
        return this;
    }

    public Dialog? Find(string dialogId) => _dialogs.GetValueOrDefault(dialogId);

    /// <summary>A context over the stack stored in the set's state property (loaded once per turn by the accessor).</summary>
    public async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        if (_dialogState is null) throw new InvalidOperationException("This DialogSet was created without a DialogState accessor.");
        var state = await _dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken).ConfigureAwait(false);
        return new DialogContext(this, turnContext, state);
    }

    /// <summary>
    /// A short stable hash of every member's id and version: changes when any member dialog changes. Computed once
    /// after the last <see cref="Add"/> (as in the SDK): members are built before the first turn.
    /// </summary>
    public string GetVersion() => _version ??= ComputeVersion();

    private string ComputeVersion()
    {
        var text = string.Join("\n", _dialogs.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Id + "=" + d.GetVersion()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 8).ToLowerInvariant();
    }
}
