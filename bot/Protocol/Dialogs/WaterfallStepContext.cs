using System.Text.Json.Nodes;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>What a waterfall step sees: its index, the dialog's options and values, and the previous step's result.</summary>
public sealed class WaterfallStepContext : DialogContext
{
    private readonly WaterfallDialog _parent;
    private readonly DialogInstance _instance;
    private bool _nextCalled;

    internal WaterfallStepContext(WaterfallDialog parent, DialogContext dc, DialogInstance instance, int index, DialogReason reason, object? result)
        : base(dc)
    {
        _parent = parent;
        _instance = instance;
        Index = index;
        Reason = reason;
        Result = result;
    }

    /// <summary>The zero-based index of the running step.</summary>
    public int Index { get; }

    /// <summary>Why this step runs (begin, a reply, a child's end, or <see cref="NextAsync"/>).</summary>
    public DialogReason Reason { get; }

    /// <summary>The previous step's outcome: a prompt's value, a child dialog's result, the user's text, or a <see cref="CardSubmit"/>.</summary>
    public object? Result { get; }

    /// <summary>The options the waterfall began with, as stored JSON. Read them with <see cref="GetOptions{T}"/>.</summary>
    public JsonNode? Options => _instance.State[WaterfallDialog.OptionsKey];

    /// <summary>Values shared by all steps of this waterfall instance; persisted with the stack.</summary>
    public DialogValues Values => new(_instance.State[WaterfallDialog.ValuesKey] as JsonObject ?? CreateValues());

    /// <summary>A GUID identifying this run of the waterfall (stable across turns).</summary>
    public string InstanceId => _instance.State[WaterfallDialog.InstanceIdKey]?.GetValue<string>() ?? "";

    /// <summary>The begin options as <typeparamref name="T"/> (the same before and after a restart).</summary>
    public T? GetOptions<T>() => DialogJson.Read<T>(Options);

    /// <summary>The result as <typeparamref name="T"/>, or default when it is absent or of another type.</summary>
    public T? GetResult<T>() => Result is T typed ? typed : default;

    /// <summary>Skips to the next step now, handing it <paramref name="result"/>. Callable once per step.</summary>
    public async Task<DialogTurnResult> NextAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (_nextCalled) throw new InvalidOperationException($"NextAsync was already called in step {Index} of '{_parent.Id}'.");
        _nextCalled = true;
        return await _parent.RunStepAsync(this, Index + 1, DialogReason.NextCalled, result, cancellationToken).ConfigureAwait(false);
    }

    private JsonObject CreateValues()
    {
        var values = new JsonObject();
        _instance.State[WaterfallDialog.ValuesKey] = values;
        return values;
    }
}
