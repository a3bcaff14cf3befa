using System.Text.Json;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;
using PastDueBot.Cards;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Waits for a payment that outlived Save's turn. It ends with the <see cref="SaveOutcome"/> when the completion
/// event arrives, or when the person writes and the provider (same idempotency key) has the result by then; a
/// restart loses nothing because only the <see cref="PendingPayment"/> is persisted.
/// </summary>
public sealed class PaymentWaitDialog(PaymentRunner runner, PaymentNotifier notifier, BotTexts texts) : Dialog(DialogId)
{
    public const string DialogId = "settle.paymentWait";
    private const string PaymentKey = "payment";

    public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        var payment = options as PendingPayment ?? throw new ArgumentException("PaymentWaitDialog needs a PendingPayment.", nameof(options));
        dc.ActiveDialog!.State[PaymentKey] = DialogJson.ToNode(payment);
        return Task.FromResult(EndOfTurn);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        var payment = DialogJson.Read<PendingPayment>(dc.ActiveDialog!.State[PaymentKey])
            ?? throw new InvalidOperationException("The pending payment is missing from the dialog state.");
        var activity = dc.Context.Activity;
        var isOurEvent = activity.Type == ActivityTypes.Event && activity.Name == PaymentNotifier.PaymentCompletedEvent;
        if (isOurEvent && activity.Value is { ValueKind: JsonValueKind.String } key && key.GetString() != payment.IdempotencyKey)
        {
            return EndOfTurn; // an older round's result: this round is still waiting
        }
        if (!isOurEvent && activity.Type != ActivityTypes.Message && !CardSubmit.IsCardActionInvoke(activity)) return EndOfTurn;

        var outcome = await runner.StartAndWaitAsync(payment, cancellationToken).ConfigureAwait(false);
        if (outcome is not null) return await dc.EndDialogAsync(outcome, cancellationToken).ConfigureAwait(false);

        notifier.NotifyWhenDone(payment, activity.GetConversationReference());
        if (CardSubmit.IsCardActionInvoke(activity))
        {
            dc.Context.SetInvokeResponse(CardInvokeResponses.Message(texts[TextKeys.Processing_StillWaiting]));
        }
        else if (activity.Type == ActivityTypes.Message)
        {
            await dc.Context.SendActivityAsync(SettleMessages.Card(PaymentCards.Processing(texts, stillWaiting: true)), cancellationToken).ConfigureAwait(false);
        }
        return EndOfTurn;
    }
}
