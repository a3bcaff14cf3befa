using Microsoft.Extensions.Logging;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Commands;
using PastDueBot.Conversation.Resources;
using PastDueBot.Conversation.Settle;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Bot;

/// <summary>
/// PastDueBot's turn handler: picks the person's language, welcomes on install, routes commands (its own and those
/// of other layers via <see cref="ICommandHandler"/>) and runs the settle dialog. Card submits (Action.Submit
/// messages and Action.Execute invokes) reach the dialog as step input; a click on a finished card is answered
/// "that step is already done". State is saved by the <see cref="AutoSaveStateBot"/> around it.
/// </summary>
public sealed class PastDueBotHandler : ActivityHandler
{
    private readonly IStatePropertyAccessor<DialogState> _dialogState;
    private readonly IStatePropertyAccessor<LanguagePreference> _language;
    private readonly IStatePropertyAccessor<WelcomeRecord> _welcomed;
    private readonly SettleDialog _settle;
    private readonly BotTexts _texts;
    private readonly IEnumerable<ICommandHandler> _handlers;
    private readonly IEnumerable<ICardActionHandler> _cardHandlers;
    private readonly IEnumerable<IInstallationObserver> _installations;
    private readonly ILogger<PastDueBotHandler> _logger;

    public PastDueBotHandler(ConversationState conversationState, UserState userState, SettleDialog settle, BotTexts texts, IEnumerable<ICommandHandler> handlers, ILogger<PastDueBotHandler> logger)
        : this(conversationState, userState, settle, texts, handlers, [], [], logger)
    {
    }

    public PastDueBotHandler(ConversationState conversationState, UserState userState, SettleDialog settle, BotTexts texts, IEnumerable<ICommandHandler> handlers,
        IEnumerable<ICardActionHandler> cardHandlers, IEnumerable<IInstallationObserver> installations, ILogger<PastDueBotHandler> logger)
    {
        _cardHandlers = cardHandlers;
        _installations = installations;
        _dialogState = conversationState.CreateProperty<DialogState>("DialogState");
        _welcomed = conversationState.CreateProperty<WelcomeRecord>("Welcome");
        _language = userState.CreateProperty<LanguagePreference>("Language");
        _settle = settle;
        _texts = texts;
        _handlers = handlers;
        _logger = logger;
    }

    internal sealed record WelcomeRecord(bool Sent);

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var preference = await _language.GetAsync(turnContext, () => new LanguagePreference(null), cancellationToken).ConfigureAwait(false);
        BotLanguages.Apply(BotLanguages.Resolve(preference.Culture, turnContext.Activity.Locale));
        await base.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        if (string.IsNullOrWhiteSpace(activity.Text) && CardSubmit.TryFromActivity(activity, out var submit))
        {
            await OnCardSubmitAsync(turnContext, submit, cancellationToken).ConfigureAwait(false);
            return;
        }

        var command = CommandRecognizer.Recognize(activity.Text);
        switch (command.Kind)
        {
            case CommandKind.Settle:
                await StartSettleAsync(turnContext, null, cancellationToken).ConfigureAwait(false);
                break;
            case CommandKind.Help:
                await SendCardAsync(turnContext, WelcomeCards.Help(_texts, !IsPersonal(turnContext), OtherLanguage()), cancellationToken).ConfigureAwait(false);
                break;
            case CommandKind.Language:
                await ChooseLanguageAsync(turnContext, command.Argument, cancellationToken).ConfigureAwait(false);
                break;
            case CommandKind.Cancel:
                if (!await ContinueFlowAsync(turnContext, cancellationToken).ConfigureAwait(false))
                {
                    await turnContext.SendActivityAsync(_texts[TextKeys.NothingToCancel], cancellationToken).ConfigureAwait(false);
                }
                break;
            case CommandKind.AlertsOn or CommandKind.AlertsOff or CommandKind.AlertsStatus:
                await HandOverAsync(turnContext, command, cancellationToken).ConfigureAwait(false);
                break;
            default:
                if (!await ContinueFlowAsync(turnContext, cancellationToken).ConfigureAwait(false))
                {
                    await turnContext.SendActivityAsync(_texts[TextKeys.Hint_Unknown], cancellationToken).ConfigureAwait(false);
                }
                break;
        }
    }

    /// <summary>Action.Execute: handled like a submit; a response set by the dialog wins over this default.</summary>
    protected override async Task<AdaptiveCardInvokeResponse> OnAdaptiveCardInvokeAsync(ITurnContext turnContext, AdaptiveCardInvokeValue invokeValue, CancellationToken cancellationToken)
    {
        if (CardSubmit.TryFromActivity(turnContext.Activity, out var submit))
        {
            await OnCardSubmitAsync(turnContext, submit, cancellationToken).ConfigureAwait(false);
        }
        return new AdaptiveCardInvokeResponse
        {
            StatusCode = 200,
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = System.Text.Json.JsonSerializer.SerializeToElement(_texts[TextKeys.Invoke_Received], ProtocolJson.Context.String),
        };
    }

    /// <summary>A slow payment's result arriving in a proactive turn.</summary>
    protected override async Task OnEventActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (turnContext.Activity.Name == PaymentNotifier.PaymentCompletedEvent)
        {
            await ContinueFlowAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        else if (turnContext.Activity.Name == SettleLauncher.StartSettleEvent
            && turnContext.Activity.Value is { ValueKind: System.Text.Json.JsonValueKind.String } subscription)
        {
            await StartSettleAsync(turnContext, subscription.GetString(), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnInstallationUpdateAddAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        await NotifyInstalledAsync(turnContext, installed: true, cancellationToken).ConfigureAwait(false);
        await WelcomeOnceAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    protected override Task OnInstallationUpdateRemoveAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        NotifyInstalledAsync(turnContext, installed: false, cancellationToken);

    /// <summary>The bot itself joining (installed in a team or chat) is a welcome; ActivityHandler only reports others joining.</summary>
    protected override async Task OnConversationUpdateActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        if (activity.MembersAdded?.Any(member => member.Id == activity.Recipient?.Id) == true)
        {
            await NotifyInstalledAsync(turnContext, installed: true, cancellationToken).ConfigureAwait(false);
            await WelcomeOnceAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (activity.MembersRemoved?.Any(member => member.Id == activity.Recipient?.Id) == true)
        {
            await NotifyInstalledAsync(turnContext, installed: false, cancellationToken).ConfigureAwait(false);
            return;
        }
        await base.OnConversationUpdateActivityAsync(turnContext, cancellationToken).ConfigureAwait(false);
    }

    private async Task NotifyInstalledAsync(ITurnContext turnContext, bool installed, CancellationToken cancellationToken)
    {
        foreach (var observer in _installations)
        {
            if (installed) await observer.OnInstalledAsync(turnContext, cancellationToken).ConfigureAwait(false);
            else await observer.OnUninstalledAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WelcomeOnceAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        // Teams sends both conversationUpdate and installationUpdate on install: one welcome per conversation.
        var welcomed = await _welcomed.GetAsync(turnContext, () => new WelcomeRecord(false), cancellationToken).ConfigureAwait(false);
        if (welcomed.Sent) return;
        await _welcomed.SetAsync(turnContext, new WelcomeRecord(true), cancellationToken).ConfigureAwait(false);
        await SendCardAsync(turnContext, WelcomeCards.Welcome(_texts, !IsPersonal(turnContext), OtherLanguage()), cancellationToken).ConfigureAwait(false);
    }

    private async Task OnCardSubmitAsync(ITurnContext turnContext, CardSubmit submit, CancellationToken cancellationToken)
    {
        if (_cardHandlers.FirstOrDefault(handler => handler.CanHandle(submit, turnContext)) is { } owner)
        {
            await owner.HandleAsync(submit, turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (submit.Verb)
        {
            case CardIds.StartSettle:
                await StartSettleAsync(turnContext, submit.GetString(CardIds.SubscriptionId), cancellationToken).ConfigureAwait(false);
                return;
            case CardIds.ChooseLanguage:
                await ChooseLanguageAsync(turnContext, submit.GetString(CardIds.Language), cancellationToken).ConfigureAwait(false);
                return;
        }

        if (!await ContinueFlowAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            // A card of a flow that has ended (or was cancelled): its step is done.
            if (CardSubmit.IsCardActionInvoke(turnContext.Activity))
            {
                turnContext.SetInvokeResponse(CardInvokeResponses.Card(PastDueBot.Cards.CardJson.ToElement(WelcomeCards.StepDone(_texts))));
            }
            else
            {
                await SendCardAsync(turnContext, WelcomeCards.StepDone(_texts), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>"settle" always starts over: any flow in progress is dropped first. Settling happens in the 1:1 chat only.</summary>
    private async Task StartSettleAsync(ITurnContext turnContext, string? subscriptionId, CancellationToken cancellationToken)
    {
        if (!IsPersonal(turnContext))
        {
            await turnContext.SendActivityAsync(_texts[TextKeys.Hint_SettleInPersonalChat], cancellationToken).ConfigureAwait(false);
            return;
        }

        var dc = await CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (dc.ActiveDialog?.Id == SettleDialog.DialogId && IsPaymentPending(dc))
        {
            // A charge is under way: starting over now could pay twice; let the wait step answer instead.
            await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await dc.CancelAllDialogsAsync(false, cancellationToken).ConfigureAwait(false);
            await dc.BeginDialogAsync(SettleDialog.DialogId, new SettleStart(subscriptionId), cancellationToken).ConfigureAwait(false);
        }
        await _dialogState.SetAsync(turnContext, dc.State, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the turn to the flow in progress; false when there is none.</summary>
    private async Task<bool> ContinueFlowAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var dc = await CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (dc.ActiveDialog is null) return false;
        await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        await _dialogState.SetAsync(turnContext, dc.State, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The stored stack, or an empty one when it was written by another version of the flow.</summary>
    private async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var dialogs = new DialogSet(_dialogState).Add(_settle);
        var dc = await dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (DialogExtensions.FindVersionMismatch(dc) is { } mismatch)
        {
            _logger.LogInformation("Dropped a settle flow written by version {Stored} (now {Current})", mismatch.StoredVersion, mismatch.CurrentVersion);
            dc.Stack.Clear();
        }
        return dc;
    }

    private static bool IsPaymentPending(DialogContext dc)
    {
        var inner = dc.ActiveDialog?.State["dialogs"]?["dialogStack"]?.AsArray();
        return inner is { Count: > 0 } && inner[0]?["id"]?.GetValue<string>() == PaymentWaitDialog.DialogId;
    }

    private async Task ChooseLanguageAsync(ITurnContext turnContext, string? argument, CancellationToken cancellationToken)
    {
        if (BotLanguages.Parse(argument) is not { } culture)
        {
            await turnContext.SendActivityAsync(_texts[TextKeys.Language_Options], cancellationToken).ConfigureAwait(false);
            return;
        }
        await _language.SetAsync(turnContext, new LanguagePreference(culture.Name), cancellationToken).ConfigureAwait(false);
        BotLanguages.Apply(culture);
        await turnContext.SendActivityAsync(_texts[TextKeys.Language_Set], cancellationToken).ConfigureAwait(false);
    }

    private async Task HandOverAsync(ITurnContext turnContext, RecognizedCommand command, CancellationToken cancellationToken)
    {
        var handler = _handlers.FirstOrDefault(candidate => candidate.CanHandle(command, turnContext));
        if (handler is null)
        {
            await turnContext.SendActivityAsync(_texts[TextKeys.Alerts_Unavailable], cancellationToken).ConfigureAwait(false);
            return;
        }
        await handler.HandleAsync(command, turnContext, cancellationToken).ConfigureAwait(false);
    }

    private static Task SendCardAsync(ITurnContext turnContext, PastDueBot.Cards.Model.AdaptiveCard card, CancellationToken cancellationToken) =>
        turnContext.SendActivityAsync(SettleMessages.Card(card), cancellationToken);

    /// <summary>No conversation type (some clients omit it) counts as personal, as a 1:1 chat is where people type.</summary>
    private static bool IsPersonal(ITurnContext turnContext) =>
        turnContext.Activity.Conversation?.ConversationType is null or ConversationTypes.Personal
        && turnContext.Activity.Conversation?.IsGroup != true;

    private string OtherLanguage() => ReferenceEquals(_texts.Culture, BotLanguages.Dutch) || _texts.Culture.Name == "nl-NL" ? "en" : "nl";
}
