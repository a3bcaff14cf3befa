using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>
/// How to pay: the owner of the card on file may edit its expiry, use another card or add one; anyone else
/// gets the latter two and one line saying why.
/// </summary>
public static class ActionCards
{
    public static AdaptiveCard Choose(BotTexts t, Subscription subscription, PaymentMethod? cardOnFile, bool isOwner, CardStamp stamp, string? problem = null)
    {
        var body = new List<CardElement> { CardKit.Title(t[K.Actions_Title]) };
        if (problem is not null) body.Add(CardKit.Problem(t[K.Reprompt_Intro], problem));
        var facts = new List<(string, string)>
        {
            (t[K.Fact_Subscription], subscription.ProductName),
            (t[K.Fact_Outstanding], t.Money(subscription.Balance)),
        };
        if (cardOnFile is not null) facts.Add((t[K.Fact_Card], t.Card(cardOnFile)));
        body.Add(CardKit.Facts([.. facts]));
        if (!isOwner)
        {
            body.Add(CardKit.Subtle(cardOnFile?.OwnerName is { Length: > 0 } owner
                ? t[K.Actions_NotOwner, owner]
                : t[K.Actions_NotOwnerUnnamed]));
        }

        var actions = new List<CardAction>();
        if (isOwner)
        {
            actions.Add(Choice(t[K.Action_EditExpiry], CardIds.ActionEditExpiry, stamp));
        }
        actions.Add(Choice(t[K.Action_UseAnotherCard], CardIds.ActionUseAnotherCard, stamp));
        actions.Add(Choice(t[K.Action_AddCard], CardIds.ActionAddCard, stamp));
        actions.Add(CardKit.Cancel(t[K.Button_Cancel], stamp));
        return CardKit.Card(body, actions, t[K.Actions_Title]);
    }

    private static SubmitAction Choice(string title, string choice, CardStamp stamp) =>
        CardKit.Submit(title, choice, stamp, CardIds.ChooseAction, (CardIds.Choice, choice));
}
