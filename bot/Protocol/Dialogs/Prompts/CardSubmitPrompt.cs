using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>
/// Sends an Adaptive Card and waits for it to be used: the value is a <see cref="CardSubmit"/>, from an Action.Submit
/// message (text may be empty) or an Action.Execute <c>adaptiveCard/action</c> invoke.
/// </summary>
/// <remarks>
/// <para>Stale cards: the prompt's <see cref="PromptOptions.PromptId"/> (generated when null) is stamped as <c>promptId</c>
/// into the data of every Action.Submit/Action.Execute of the prompt's cards. A submit carrying another prompt id is not
/// recognised (<c>Recognized.Succeeded</c> false) but still given to the validator with <see cref="CardSubmit.IsStale"/>
/// set, so it can answer "that step is done". Submits without a prompt id (cards not sent by a prompt) count as current.</para>
/// <para>Without a validator: a current submit is accepted; a stale one gets <see cref="StaleText"/>; typed text gets the
/// retry prompt, or <see cref="UseCardText"/> when none is set.</para>
/// <para>Invokes: after the turn's work (including the parent's next steps), if nothing has set an invoke response, the
/// prompt sets one: 200 message <see cref="ReceivedText"/> (accepted), <see cref="StaleText"/> (stale), 400 NotSupported
/// (not an Action.Execute), or <see cref="UseCardText"/> (rejected). A step that wants to replace the card calls
/// <c>Context.SetInvokeResponse(CardInvokeResponses.Card(...))</c> itself. Refresh invokes are ignored: answer them before RunAsync.</para>
/// </remarks>
public class CardSubmitPrompt(string dialogId, PromptValidator<CardSubmit>? validator = null) : Prompt<CardSubmit>(dialogId, validator)
{
    /// <summary>Locale for the built-in texts when the activity has none.</summary>
    public string? DefaultLocale { get; init; }

    /// <summary>Said when text is typed while the card waits (and no retry prompt is set). Null: built-in English/Dutch text.</summary>
    public string? UseCardText { get; init; }

    /// <summary>Said when an older card is used. Null: built-in English/Dutch text.</summary>
    public string? StaleText { get; init; }

    /// <summary>The invoke acknowledgement when the step set none. Null: built-in English/Dutch text.</summary>
    public string? ReceivedText { get; init; }

    protected override bool AcceptsActivity(Activity activity) =>
        activity.Type == ActivityTypes.Message || (CardSubmit.IsCardActionInvoke(activity) && !CardSubmit.IsRefreshInvoke(activity));

    protected override PromptOptions PrepareOptions(ITurnContext turnContext, PromptOptions options)
    {
        options.PromptId ??= Guid.NewGuid().ToString("N");
        CardPromptStamp.Apply(options.Prompt, options.PromptId);
        CardPromptStamp.Apply(options.RetryPrompt, options.PromptId);
        return options;
    }

    protected override Task<PromptRecognizerResult<CardSubmit>> OnRecognizeAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, CancellationToken cancellationToken)
    {
        if (!CardSubmit.TryFromActivity(turnContext.Activity, out var submit)) return Task.FromResult(PromptRecognizerResult<CardSubmit>.Failed);

        var stale = submit.PromptId is not null && options.PromptId is not null && !string.Equals(submit.PromptId, options.PromptId, StringComparison.Ordinal);
        return Task.FromResult(stale
            ? new PromptRecognizerResult<CardSubmit>(false, submit with { IsStale = true })
            : PromptRecognizerResult<CardSubmit>.Success(submit));
    }

    protected override async Task OnPromptAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, bool isRetry, CancellationToken cancellationToken)
    {
        if (isRetry && options.RetryPrompt is null)
        {
            var reminder = Activity.CreateMessageActivity(UseCard(turnContext));
            reminder.InputHint = InputHints.ExpectingInput;
            await turnContext.SendActivityAsync(reminder, cancellationToken).ConfigureAwait(false);
            return;
        }

        await base.OnPromptAsync(turnContext, state, options, isRetry, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task OnRejectedAsync(ITurnContext turnContext, DialogValues state, PromptOptions options, PromptRecognizerResult<CardSubmit> recognized, CancellationToken cancellationToken)
    {
        var invoke = CardSubmit.IsCardActionInvoke(turnContext.Activity);
        if (recognized.Value?.IsStale == true)
        {
            // An invoke shows the stale notice in its response; a message gets it as a reply.
            if (!invoke) await turnContext.SendActivityAsync(Stale(turnContext), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (invoke && recognized.Value is null) return; // not an Action.Execute: answered 400 below

        await base.OnRejectedAsync(turnContext, state, options, recognized, cancellationToken).ConfigureAwait(false);
    }

    protected override Task OnInputHandledAsync(ITurnContext turnContext, PromptRecognizerResult<CardSubmit> recognized, bool accepted, CancellationToken cancellationToken)
    {
        if (CardSubmit.IsCardActionInvoke(turnContext.Activity) && turnContext.InvokeResponse is null)
        {
            turnContext.SetInvokeResponse(CreateInvokeResponse(turnContext, recognized, accepted));
        }

        return Task.CompletedTask;
    }

    /// <summary>The default answer to an invoke that no step answered.</summary>
    protected virtual InvokeResponse CreateInvokeResponse(ITurnContext turnContext, PromptRecognizerResult<CardSubmit> recognized, bool accepted)
    {
        if (accepted) return CardInvokeResponses.Message(ReceivedText ?? PromptCulture.Pick(turnContext, DefaultLocale, "Received.", "Ontvangen."));
        if (recognized.Value?.IsStale == true) return CardInvokeResponses.Message(Stale(turnContext));
        if (recognized.Value is null) return CardInvokeResponses.Error(400, "NotSupported", "Only Action.Execute is supported.");
        return CardInvokeResponses.Message(UseCard(turnContext));
    }

    private string UseCard(ITurnContext turnContext) =>
        UseCardText ?? PromptCulture.Pick(turnContext, DefaultLocale, "Please use the buttons on the card above.", "Gebruik de knoppen op de kaart hierboven.");

    private string Stale(ITurnContext turnContext) =>
        StaleText ?? PromptCulture.Pick(turnContext, DefaultLocale, "That card is no longer current. Please use the latest card.", "Die kaart is niet meer actueel. Gebruik de nieuwste kaart.");
}
