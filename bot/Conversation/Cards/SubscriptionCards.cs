using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>Which subscription to settle: a list to choose from, or a single one to confirm.</summary>
public static class SubscriptionCards
{
    public static AdaptiveCard Choose(BotTexts t, IReadOnlyList<Subscription> subscriptions, DateTimeOffset now, CardStamp stamp, string? problem = null)
    {
        var body = new List<CardElement> { CardKit.Title(t[K.ChooseSubscription_Title]) };
        if (problem is not null) body.Add(CardKit.Problem(t[K.Reprompt_Intro], problem));
        body.Add(CardKit.Text(t[K.ChooseSubscription_Intro]));
        for (var i = 0; i < subscriptions.Count; i++)
        {
            var subscription = subscriptions[i];
            body.Add(new Container([new TextBlock(subscription.ProductName) { Weight = TextWeight.Bolder }, Facts(t, subscription, now)])
            {
                Id = $"subscription{i}",
                Separator = true,
                Spacing = Spacing.Medium,
            });
        }
        body.Add(new ChoiceSetInput(subscriptions
            .Select(subscription => new Choice(
                t[K.ChooseSubscription_Choice, subscription.ProductName, t.Money(subscription.Balance), t.Days(subscription.DaysPastDue(now))],
                subscription.Id))
            .ToList())
        {
            Id = CardIds.SubscriptionId,
            Label = t[K.ChooseSubscription_Label],
            IsRequired = true,
            ErrorMessage = t[K.ChooseSubscription_Error],
            Style = ChoiceInputStyle.Expanded,
            Separator = true,
        });
        return CardKit.Card(body,
        [
            CardKit.Submit(t[K.Button_Continue], "continue", stamp, CardIds.ChooseSubscription),
            CardKit.Cancel(t[K.Button_Cancel], stamp),
        ], t[K.ChooseSubscription_Title]);
    }

    public static AdaptiveCard Confirm(BotTexts t, Subscription subscription, DateTimeOffset now, CardStamp stamp) => CardKit.Card(
        [
            CardKit.Title(t[K.ConfirmSubscription_Title]),
            new TextBlock(subscription.ProductName) { Weight = TextWeight.Bolder },
            Facts(t, subscription, now),
            CardKit.Text(t[K.ConfirmSubscription_Question]),
        ],
        [
            CardKit.Submit(t[K.Button_SettleThis], "confirm", stamp, CardIds.ChooseSubscription, (CardIds.SubscriptionId, subscription.Id)),
            CardKit.Cancel(t[K.Button_Cancel], stamp),
        ],
        t[K.ConfirmSubscription_Title]);

    private static FactSet Facts(BotTexts t, Subscription subscription, DateTimeOffset now) => CardKit.Facts(
        (t[K.Fact_Outstanding], t.Money(subscription.Balance)),
        (t[K.Fact_PastDue], t.Days(subscription.DaysPastDue(now))),
        (t[K.Fact_LastPayment], t[K.LastPayment_Failed, t.Reason(subscription.LastDeclineReason)]));
}
