using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PastDueBot.Cards;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

// One payment round: how to pay → the chosen form → review → save → outcome. A decline starts a new round.
public sealed partial class SettleDialog
{
    private const string ChoiceValue = "choice";
    private const string PaymentMethodValue = "paymentMethodId";
    private const string NewExpiryMonthValue = "newExpiryMonth";
    private const string NewExpiryYearValue = "newExpiryYear";
    private const string AddedCardTurnKey = "PastDueBot.Settle.AddedCard";

    private sealed record RoundFacts(Subscription Subscription, IReadOnlyList<PaymentMethod> Cards, PaymentMethod? CardOnFile);

    private async Task<RoundFacts?> LoadAsync(ITurnContext turnContext, string subscriptionId, CancellationToken cancellationToken)
    {
        var account = Account(turnContext);
        var subscription = await _billing.GetSubscriptionAsync(account, subscriptionId, cancellationToken).ConfigureAwait(false);
        if (subscription is null) return null;
        var cards = await _billing.GetPaymentMethodsAsync(account, cancellationToken).ConfigureAwait(false);
        return new RoundFacts(subscription, cards, cards.FirstOrDefault(card => card.Id == subscription.PaymentMethodId));
    }

    /// <summary>The owner of the card on file may edit its expiry; anyone may use another card or add one.</summary>
    private async Task<DialogTurnResult> ChooseActionStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var round = step.GetOptions<PayRound>()!;
        var facts = await LoadAsync(step.Context, round.SubscriptionId, cancellationToken).ConfigureAwait(false);
        if (facts is null || !facts.Subscription.IsPastDue)
        {
            await step.Context.SendActivityAsync(SettleMessages.Text(_texts[TextKeys.NoPastDue]), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var isOwner = facts.CardOnFile?.IsOwnedBy(Account(step.Context).AdminId) == true;
        var allowed = isOwner
            ? new[] { CardIds.ActionEditExpiry, CardIds.ActionUseAnotherCard, CardIds.ActionAddCard }
            : new[] { CardIds.ActionUseAnotherCard, CardIds.ActionAddCard };
        var card = ActionCards.Choose(_texts, facts.Subscription, facts.CardOnFile, isOwner, CardStamp.None);
        return await step.PromptAsync(ActionPrompt, CardPromptOptions(card, new JsonObject { ["allowed"] = Ids(allowed) }), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ValidateActionAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        if (!prompt.Recognized.Succeeded || prompt.Recognized.Value is not { } submit) return false;

        var allowed = prompt.Options.Validations?["allowed"]?.AsArray().Select(node => node?.GetValue<string>()).ToHashSet() ?? [];
        var choice = submit.GetString(CardIds.Choice);
        if (submit.Verb == CardIds.ChooseAction && choice is not null && allowed.Contains(choice)) return true;

        var problem = choice == CardIds.ActionEditExpiry ? _texts[TextKeys.Error_NotCardOwner] : _texts[TextKeys.Hint_Unknown];
        return await RejectAsync(prompt.Context, problem, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ChosenFormStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var round = step.GetOptions<PayRound>()!;
        var choice = ((CardSubmit)step.Result!).GetString(CardIds.Choice)!;
        var facts = await LoadAsync(step.Context, round.SubscriptionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The subscription disappeared during the round.");

        if (choice == CardIds.ActionEditExpiry && facts.CardOnFile is { } onFile)
        {
            step.Values.SetValue(ChoiceValue, choice);
            var form = FormCards.EditExpiry(_texts, onFile, Today, CardStamp.None);
            return await step.PromptAsync(ExpiryPrompt, CardPromptOptions(form, new JsonObject { ["card"] = onFile.Id }), cancellationToken).ConfigureAwait(false);
        }

        if (choice == CardIds.ActionUseAnotherCard)
        {
            var (usable, expired) = OtherCards(facts);
            if (usable.Count > 0)
            {
                step.Values.SetValue(ChoiceValue, choice);
                var form = FormCards.ChooseCard(_texts, usable, expired, CardStamp.None);
                return await step.PromptAsync(CardPrompt, CardPromptOptions(form, new JsonObject { ["usable"] = Ids(usable.Select(card => card.Id)) }), cancellationToken).ConfigureAwait(false);
            }
            // Nothing valid to choose: show what there is (expired cards included) and go on to a new card.
            await SendCardAsync(step.Context, FormCards.ChooseCard(_texts, usable, expired, CardStamp.None), cancellationToken).ConfigureAwait(false);
        }

        step.Values.SetValue(ChoiceValue, CardIds.ActionAddCard);
        return await step.PromptAsync(NewCardPrompt, CardPromptOptions(FormCards.AddCard(_texts, Today, CardStamp.None)), cancellationToken).ConfigureAwait(false);
    }

    private (List<PaymentMethod> Usable, List<PaymentMethod> Expired) OtherCards(RoundFacts facts)
    {
        var others = facts.Cards.Where(card => card.Id != facts.Subscription.PaymentMethodId).ToList();
        return (others.Where(card => !card.IsExpired(Today)).ToList(), others.Where(card => card.IsExpired(Today)).ToList());
    }

    private async Task<bool> ValidateExpiryAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        if (!prompt.Recognized.Succeeded || prompt.Recognized.Value is not { } submit) return false;

        var expiry = FormReader.Expiry(submit, Today, _texts);
        if (submit.Verb == CardIds.SubmitExpiry && expiry.IsValid) return true;

        var problem = expiry.Problem ?? _texts[TextKeys.Error_Month];
        var cardId = prompt.Options.Validations?["card"]?.GetValue<string>();
        var cards = await _billing.GetPaymentMethodsAsync(Account(prompt.Context), cancellationToken).ConfigureAwait(false);
        var card = cards.FirstOrDefault(candidate => candidate.Id == cardId);
        var form = card is null ? null : FormCards.EditExpiry(_texts, card, Today, Stamp(prompt), problem);
        return await RejectAsync(prompt.Context, problem, form, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ValidateChosenCardAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        if (!prompt.Recognized.Succeeded || prompt.Recognized.Value is not { } submit) return false;

        var usableIds = prompt.Options.Validations?["usable"]?.AsArray().Select(node => node!.GetValue<string>()).ToList() ?? [];
        var chosen = FormReader.ChosenCard(submit, usableIds, _texts);
        if (submit.Verb == CardIds.SubmitChosenCard && chosen.IsValid) return true;

        var cards = await _billing.GetPaymentMethodsAsync(Account(prompt.Context), cancellationToken).ConfigureAwait(false);
        var usable = cards.Where(card => usableIds.Contains(card.Id)).ToList();
        var expired = cards.Where(card => card.IsExpired(Today) && !usableIds.Contains(card.Id)).ToList();
        var problem = chosen.Problem ?? _texts[TextKeys.ChooseCard_Error];
        return await RejectAsync(prompt.Context, problem, FormCards.ChooseCard(_texts, usable, expired, Stamp(prompt), problem), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the new card and hands it to tokenisation at once. The number and security code exist only in this
    /// turn's memory: they are wiped from the inbound activity here, and only the masked card goes on.
    /// </summary>
    private async Task<bool> ValidateNewCardAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        if (!prompt.Recognized.Succeeded || prompt.Recognized.Value is not { } submit) return false;

        var form = FormReader.NewCard(submit, Today, _texts);
        SensitiveInput.Scrub(prompt.Context.Activity, submit);
        string problem;
        if (submit.Verb == CardIds.SubmitNewCard && form.IsValid)
        {
            try
            {
                var added = await _billing.AddCardAsync(Account(prompt.Context), form.Value!, cancellationToken).ConfigureAwait(false);
                prompt.Context.TurnState.Set(AddedCardTurnKey, added);
                return true;
            }
            catch (CardRejectedException)
            {
                _logger.LogInformation("The processor rejected a new card");
                problem = _texts[TextKeys.Error_CardRejected];
            }
        }
        else
        {
            problem = form.Problem ?? _texts[TextKeys.Error_Number];
        }

        var (holder, expiry) = FormReader.Refill(submit);
        return await RejectAsync(prompt.Context, problem, FormCards.AddCard(_texts, Today, Stamp(prompt), problem, holder, expiry), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Remembers what was chosen (ids and an expiry only) and shows the summary with Save.</summary>
    private async Task<DialogTurnResult> ReviewStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var round = step.GetOptions<PayRound>()!;
        var submit = (CardSubmit)step.Result!;
        var facts = await LoadAsync(step.Context, round.SubscriptionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The subscription disappeared during the round.");

        PaymentMethod card;
        CardExpiry? newExpiry = null;
        switch (step.Values.GetValue<string>(ChoiceValue))
        {
            case CardIds.ActionEditExpiry:
                newExpiry = FormReader.Expiry(submit, Today, _texts).Value;
                card = facts.CardOnFile!;
                step.Values.SetValue(NewExpiryMonthValue, newExpiry.Value.Month);
                step.Values.SetValue(NewExpiryYearValue, newExpiry.Value.Year);
                break;
            case CardIds.ActionUseAnotherCard:
                var chosenId = submit.GetString(CardIds.PaymentMethodId);
                card = facts.Cards.First(candidate => candidate.Id == chosenId);
                break;
            default:
                card = step.Context.TurnState.Get<PaymentMethod>(AddedCardTurnKey)
                    ?? throw new InvalidOperationException("The new card was not tokenised in this turn.");
                break;
        }
        step.Values.SetValue(PaymentMethodValue, card.Id);

        var review = PaymentCards.Review(_texts, facts.Subscription, card, newExpiry, CardStamp.None);
        return await step.PromptAsync(ReviewPrompt, CardPromptOptions(review), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ValidateReviewAsync(PromptValidatorContext<CardSubmit> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Recognized.Value is { IsStale: true }) return await StaleAsync(prompt.Context, cancellationToken).ConfigureAwait(false);
        return prompt.Recognized.Succeeded && prompt.Recognized.Value?.Verb == CardIds.Save;
    }

    /// <summary>
    /// Save: the review card loses its buttons at once, while the charge runs with an idempotency key of this flow,
    /// subscription and round, so a double click, a redelivery or a retry charges once. A slow charge gets
    /// "working on it" and its result is posted when it arrives.
    /// </summary>
    private async Task<DialogTurnResult> SaveStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var round = step.GetOptions<PayRound>()!;
        var submit = (CardSubmit)step.Result!;
        var facts = await LoadAsync(step.Context, round.SubscriptionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The subscription disappeared during the round.");
        var paymentMethodId = step.Values.GetValue<string>(PaymentMethodValue);
        int? month = step.Values.TryGetValue<int>(NewExpiryMonthValue, out var m) ? m : null;
        int? year = step.Values.TryGetValue<int>(NewExpiryYearValue, out var y) ? y : null;
        var card = facts.Cards.FirstOrDefault(candidate => candidate.Id == paymentMethodId);

        // The card's update goes out while the charge runs, and is awaited before anything else is sent, so the
        // buttons still go before the receipt arrives; the turn no longer waits for the two one after the other.
        var marked = Task.CompletedTask;
        if (card is not null)
        {
            var newExpiry = month is { } mm && year is { } yy ? new CardExpiry(mm, yy) : (CardExpiry?)null;
            marked = MarkReviewSubmittedAsync(step.Context, submit, PaymentCards.Review(_texts, facts.Subscription, card, newExpiry, CardStamp.None, submitted: true), cancellationToken);
        }

        var account = Account(step.Context);
        var payment = new PendingPayment(account.TenantId, account.AdminId, round.SubscriptionId, paymentMethodId, month, year,
            IdempotencyKey: $"settle/{round.FlowId}/{round.SubscriptionId}/{round.Attempt}");
        SaveOutcome? outcome;
        try
        {
            outcome = await _runner.StartAndWaitAsync(payment, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The charge's failure is the one to report; the update's own outcome is only waited for.
            await marked.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        await marked.ConfigureAwait(false);
        if (outcome is not null) return await step.NextAsync(outcome, cancellationToken).ConfigureAwait(false);

        await SendCardAsync(step.Context, PaymentCards.Processing(_texts), cancellationToken).ConfigureAwait(false);
        _notifier.NotifyWhenDone(payment, step.Context.Activity.GetConversationReference());
        return await step.BeginDialogAsync(PaymentWaitDialog.DialogId, payment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Action.Execute: the invoke's answer replaces the card. Action.Submit: the card message is updated.</summary>
    private async Task MarkReviewSubmittedAsync(ITurnContext turnContext, CardSubmit submit, PastDueBot.Cards.Model.AdaptiveCard done, CancellationToken cancellationToken)
    {
        if (submit.Kind == CardSubmitKind.Execute)
        {
            turnContext.SetInvokeResponse(CardInvokeResponses.Card(CardJson.ToElement(done)));
            return;
        }
        if (submit.ReplyToId is not { Length: > 0 } cardId) return;
        var update = SettleMessages.Card(done);
        update.Id = cardId;
        try
        {
            await turnContext.UpdateActivityAsync(update, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            // The buttons stay, but a second click is stale and the charge is idempotent: carry on.
            _logger.LogWarning(ex, "Could not update the review card");
        }
    }

    /// <summary>Paid: the receipt and the 48-hour guidance. Declined: the reason, and a new round from "how to pay".</summary>
    private async Task<DialogTurnResult> OutcomeStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var round = step.GetOptions<PayRound>()!;
        var outcome = (SaveOutcome)step.Result!;
        var productName = (await _billing.GetSubscriptionAsync(Account(step.Context), round.SubscriptionId, cancellationToken).ConfigureAwait(false))?.ProductName ?? round.SubscriptionId;

        if (outcome.Result is { Outcome: PaymentOutcome.Paid } paid)
        {
            await SendCardAsync(step.Context, PaymentCards.Receipt(_texts, paid, productName), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(paid, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Result is { } declined)
        {
            await SendCardAsync(step.Context, PaymentCards.Declined(_texts, declined, productName), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await step.Context.SendActivityAsync(SettleMessages.Text(_texts[TextKeys.Error_NotCardOwner]), cancellationToken).ConfigureAwait(false);
        }
        return await step.ReplaceDialogAsync(PayRoundFlow, round with { Attempt = round.Attempt + 1 }, cancellationToken).ConfigureAwait(false);
    }
}
