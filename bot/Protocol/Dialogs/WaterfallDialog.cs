using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>One step of a waterfall: prompt, act, or end; returns the step's dialog turn result.</summary>
public delegate Task<DialogTurnResult> WaterfallStep(WaterfallStepContext stepContext, CancellationToken cancellationToken);

/// <summary>
/// Runs steps in order, one per user reply (SDK: WaterfallDialog). Instance state keys mirror the SDK:
/// <c>options</c>, <c>values</c>, <c>instanceId</c>, <c>stepIndex</c>.
/// </summary>
/// <remarks>
/// When the waterfall itself is the active dialog (a step returned <see cref="Dialog.EndOfTurn"/> without a prompt) it
/// continues only on <c>message</c> activities, as the SDK does; other activities (invokes included) are ignored and the
/// waterfall keeps waiting. The step then receives the message text as <see cref="WaterfallStepContext.Result"/>, or a
/// <see cref="CardSubmit"/> when the text is empty and the message carries an Action.Submit <c>value</c>.
/// To take Action.Execute invokes as step input, wait with a <see cref="CardSubmitPrompt"/>.
/// </remarks>
public class WaterfallDialog : Dialog
{
    internal const string OptionsKey = "options";
    internal const string ValuesKey = "values";
    internal const string InstanceIdKey = "instanceId";
    internal const string StepIndexKey = "stepIndex";

    private readonly List<WaterfallStep> _steps;

    public WaterfallDialog(string dialogId, IEnumerable<WaterfallStep>? steps = null)
        : base(dialogId)
    {
        _steps = steps?.ToList() ?? [];
    }

    /// <summary>
    /// An explicit version (e.g. "settle-3"). Bump it when a step's meaning changes without changing the step count;
    /// when null the version is <c>{id}:{stepCount}</c> as in the SDK.
    /// </summary>
    public string? Version { get; init; }

    public int StepCount => _steps.Count;

    public WaterfallDialog AddStep(WaterfallStep step)
    {
        _steps.Add(step ?? throw new ArgumentNullException(nameof(step)));
        return this;
    }

    public override string GetVersion() => Version is { } explicitVersion ? $"{Id}:{explicitVersion}" : $"{Id}:{_steps.Count}";

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        var state = Instance(dc).State;
        state[OptionsKey] = DialogJson.ToNode(options);
        state[ValuesKey] = new System.Text.Json.Nodes.JsonObject();
        state[InstanceIdKey] = Guid.NewGuid().ToString();
        state[StepIndexKey] = 0;
        return await RunStepAsync(dc, 0, DialogReason.BeginCalled, null, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        var activity = dc.Context.Activity;
        if (activity.Type != ActivityTypes.Message) return EndOfTurn;

        object? result = string.IsNullOrEmpty(activity.Text) && CardSubmit.TryFromActivity(activity, out var submit) ? submit : activity.Text;
        return await ResumeDialogAsync(dc, DialogReason.ContinueCalled, result, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        // Stored as JSON, so it may come back as any integral type: read it through the typed accessor.
        var index = new DialogValues(Instance(dc).State).GetValueOrDefault<int>(StepIndexKey);
        return await RunStepAsync(dc, index + 1, reason, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one step; override to log or wrap steps.</summary>
    protected virtual Task<DialogTurnResult> OnStepAsync(WaterfallStepContext stepContext, CancellationToken cancellationToken) =>
        _steps[stepContext.Index](stepContext, cancellationToken);

    internal async Task<DialogTurnResult> RunStepAsync(DialogContext dc, int index, DialogReason reason, object? result, CancellationToken cancellationToken)
    {
        if (index >= _steps.Count)
        {
            // Past the last step: the waterfall ends with the last result.
            return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
        }

        var instance = Instance(dc);
        instance.State[StepIndexKey] = index;
        var stepContext = new WaterfallStepContext(this, dc, instance, index, reason, result);
        return await OnStepAsync(stepContext, cancellationToken).ConfigureAwait(false);
    }

    private DialogInstance Instance(DialogContext dc) =>
        dc.ActiveDialog is { } active && active.Id == Id
            ? active
            : throw new InvalidOperationException($"Waterfall '{Id}' is not the active dialog.");
}
