using Microsoft.Extensions.Logging;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Commands;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Directory;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Settling a past-due balance, shaped like the BotBuilder multi-turn-prompt sample: a main waterfall
/// (who are you → which subscription → a payment round) and a payment-round waterfall
/// (how to pay → the chosen form → review → save → outcome) that starts over after a decline.
/// Every card is a <see cref="CardSubmitPrompt"/>, so Action.Submit and Action.Execute both count, and a click
/// on an older card is answered "that step is already done".
/// </summary>
public sealed partial class SettleDialog : ComponentDialog
{
    public const string DialogId = "settle";
    private const string MainFlow = "settle.main";
    private const string PayRoundFlow = "settle.payRound";
    private const string SubscriptionPrompt = "settle.subscriptionPrompt";
    private const string ActionPrompt = "settle.actionPrompt";
    private const string ExpiryPrompt = "settle.expiryPrompt";
    private const string CardPrompt = "settle.cardPrompt";
    private const string NewCardPrompt = "settle.newCardPrompt";
    private const string ReviewPrompt = "settle.reviewPrompt";

    private readonly IBillingProvider _billing;
    private readonly IDirectory _directory;
    private readonly BotTexts _texts;
    private readonly PaymentRunner _runner;
    private readonly PaymentNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger<SettleDialog> _logger;

    public SettleDialog(IBillingProvider billing, IDirectory directory, BotTexts texts, PaymentRunner runner, PaymentNotifier notifier, TimeProvider time, ILogger<SettleDialog> logger)
        : base(DialogId)
    {
        _billing = billing;
        _directory = directory;
        _texts = texts;
        _runner = runner;
        _notifier = notifier;
        _time = time;
        _logger = logger;

        // Bump when a step's meaning changes without the step count changing, so conversations in flight restart.
        Version = "1";
        AddDialog(new WaterfallDialog(MainFlow, [CheckAdminStepAsync, ChooseSubscriptionStepAsync, StartPayRoundStepAsync]));
        AddDialog(new WaterfallDialog(PayRoundFlow, [ChooseActionStepAsync, ChosenFormStepAsync, ReviewStepAsync, SaveStepAsync, OutcomeStepAsync]));
        AddDialog(new CardSubmitPrompt(SubscriptionPrompt, ValidateSubscriptionAsync));
        AddDialog(new CardSubmitPrompt(ActionPrompt, ValidateActionAsync));
        AddDialog(new CardSubmitPrompt(ExpiryPrompt, ValidateExpiryAsync));
        AddDialog(new CardSubmitPrompt(CardPrompt, ValidateChosenCardAsync));
        AddDialog(new CardSubmitPrompt(NewCardPrompt, ValidateNewCardAsync));
        AddDialog(new CardSubmitPrompt(ReviewPrompt, ValidateReviewAsync));
        AddDialog(new PaymentWaitDialog(runner, notifier, texts));
        InitialDialogId = MainFlow;
    }

    /// <summary>"cancel" (typed, or a card's Cancel button) ends the flow politely, except while a charge is under way.</summary>
    protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        if (!IsCancel(innerDc.Context.Activity)) return await base.OnContinueDialogAsync(innerDc, cancellationToken).ConfigureAwait(false);

        if (innerDc.ActiveDialog?.Id == PaymentWaitDialog.DialogId)
        {
            await ReplyAsync(innerDc.Context, _texts[TextKeys.Processing_StillWaiting], cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }
        await ReplyAsync(innerDc.Context, _texts[TextKeys.Cancelled], cancellationToken).ConfigureAwait(false);
        return await innerDc.CancelAllDialogsAsync(false, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsCancel(Activity activity)
    {
        if (CardSubmit.TryFromActivity(activity, out var submit) && string.IsNullOrEmpty(activity.Text)) return submit.Verb == CardIds.Cancel;
        return activity.Type == ActivityTypes.Message && CommandRecognizer.Recognize(activity.Text).Kind == CommandKind.Cancel;
    }

    /// <summary>A reply that works for both kinds of submit: a message, or the invoke's toast for Action.Execute.</summary>
    private static async Task ReplyAsync(ITurnContext turnContext, string text, CancellationToken cancellationToken)
    {
        if (CardSubmit.IsCardActionInvoke(turnContext.Activity))
        {
            turnContext.SetInvokeResponse(CardInvokeResponses.Message(text));
            return;
        }
        await turnContext.SendActivityAsync(SettleMessages.Text(text), cancellationToken).ConfigureAwait(false);
    }

    private Task SendCardAsync(ITurnContext turnContext, PastDueBot.Cards.Model.AdaptiveCard card, CancellationToken cancellationToken) =>
        turnContext.SendActivityAsync(SettleMessages.Card(card), cancellationToken);

    private static BillingAccount Account(ITurnContext turnContext)
    {
        var activity = turnContext.Activity;
        var tenant = activity.Conversation?.TenantId ?? activity.GetTeamsChannelData()?.Tenant?.Id ?? "default";
        return new BillingAccount(tenant, activity.From?.AadObjectId ?? "");
    }

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private static PromptOptions CardPromptOptions(PastDueBot.Cards.Model.AdaptiveCard card, System.Text.Json.Nodes.JsonNode? validations = null) => new()
    {
        Prompt = SettleMessages.Card(card),
        Validations = validations,
    };

    /// <summary>The stamp that keeps a re-sent card (with the server's reason) current for the same prompt.</summary>
    private static CardStamp Stamp<T>(PromptValidatorContext<T> context) =>
        context.Options.PromptId is { } id ? CardStamp.Of((CardSubmit.PromptIdKey, id)) : CardStamp.None;

    /// <summary>An old card was used: nothing happens and the person is told so.</summary>
    private async Task<bool> StaleAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (CardSubmit.IsCardActionInvoke(turnContext.Activity))
        {
            turnContext.SetInvokeResponse(CardInvokeResponses.Card(PastDueBot.Cards.CardJson.ToElement(WelcomeCards.StepDone(_texts))));
        }
        else
        {
            await SendCardAsync(turnContext, WelcomeCards.StepDone(_texts), cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Says what was wrong and shows the form again (or, with no form, repeats the reason over the current card).</summary>
    private async Task<bool> RejectAsync(ITurnContext turnContext, string problem, PastDueBot.Cards.Model.AdaptiveCard? form, CancellationToken cancellationToken)
    {
        if (form is null)
        {
            await ReplyAsync(turnContext, $"{_texts[TextKeys.Reprompt_Intro]} {problem}", cancellationToken).ConfigureAwait(false);
            return false;
        }
        if (CardSubmit.IsCardActionInvoke(turnContext.Activity))
        {
            turnContext.SetInvokeResponse(CardInvokeResponses.Card(PastDueBot.Cards.CardJson.ToElement(form)));
        }
        else
        {
            await SendCardAsync(turnContext, form, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }
}
