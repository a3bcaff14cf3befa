using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>Review and Save, the payment in progress, and its outcome.</summary>
public static class PaymentCards
{
    /// <param name="submitted">The same card after Save: no buttons left to click twice, and a line saying so.</param>
    public static AdaptiveCard Review(BotTexts t, Subscription subscription, PaymentMethod card, CardExpiry? newExpiry, CardStamp stamp, bool submitted = false)
    {
        var facts = new List<(string, string)>
        {
            (t[K.Fact_Subscription], subscription.ProductName),
            (t[K.Fact_ToPay], t.Money(subscription.Balance)),
            (t[K.Fact_Card], newExpiry is { } expiry ? t.Card(card with { Expiry = expiry }) : t.Card(card)),
        };
        if (newExpiry is { } changed) facts.Add((t[K.Fact_NewExpiry], BotFormat.Expiry(changed)));
        var body = new List<CardElement>
        {
            CardKit.Title(t[K.Review_Title]),
            CardKit.Facts([.. facts]),
            submitted ? new TextBlock(t[K.Review_Submitted]) { Id = "submitted", Color = TextColor.Good } : CardKit.Text(t[K.Review_Intro]),
        };
        IReadOnlyList<CardAction>? actions = submitted ? null :
        [
            CardKit.Submit(t[K.Button_Save], "save", stamp, CardIds.Save),
            CardKit.Cancel(t[K.Button_Cancel], stamp),
        ];
        return CardKit.Card(body, actions, t[K.Review_Title]);
    }

    public static AdaptiveCard Processing(BotTexts t, bool stillWaiting = false) => CardKit.Card(
        [CardKit.Title(t[K.Processing_Title]), CardKit.Text(stillWaiting ? t[K.Processing_StillWaiting] : t[K.Processing_Slow])],
        null,
        t[K.Processing_Title]);

    public static AdaptiveCard Receipt(BotTexts t, PaymentResult result, string productName)
    {
        var facts = new List<(string, string)>
        {
            (t[K.Fact_Subscription], productName),
            (t[K.Fact_Paid], t.Money(result.Amount)),
            (t[K.Fact_Card], t.Card(result.Card)),
            (t[K.Fact_Date], t.Date(result.At)),
        };
        if (result.Reference is { Length: > 0 } reference) facts.Insert(3, (t[K.Fact_Reference], reference));
        return CardKit.Card(
        [
            CardKit.Title(t[K.Receipt_Title], TextColor.Good),
            CardKit.Text(t[K.Receipt_Thanks, productName]),
            CardKit.Facts([.. facts]),
            new Container([CardKit.Text(t[K.Receipt_Guidance])]) { Id = "guidance", Style = ContainerStyle.Emphasis },
        ], null, t[K.Receipt_Title]);
    }

    public static AdaptiveCard Declined(BotTexts t, PaymentResult result, string productName) => CardKit.Card(
        [
            CardKit.Title(t[K.Declined_Title], TextColor.Attention),
            CardKit.Facts(
                (t[K.Fact_Subscription], productName),
                (t[K.Fact_Card], t.Card(result.Card)),
                (t[K.Fact_Reason], t.ReasonSentence(result.DeclineReason))),
            CardKit.Text(t[K.Declined_Next]),
        ],
        null,
        t[K.Declined_Title]);
}
