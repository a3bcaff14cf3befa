using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>
/// The three forms of the chosen change. Each validates on the card (isRequired, regex, errorMessage) and is
/// validated again on the server; a re-sent form carries the server's reason in <c>problem</c>.
/// </summary>
public static class FormCards
{
    public const string HolderRegex = @"^\S.{0,48}\S$";
    public const string CardNumberRegex = @"^[0-9 ]{13,23}$";
    public const string SecurityCodeRegex = @"^[0-9]{3,4}$";

    public static AdaptiveCard EditExpiry(BotTexts t, PaymentMethod card, DateOnly today, CardStamp stamp, string? problem = null)
    {
        var body = new List<CardElement> { CardKit.Title(t[K.Expiry_Title]) };
        if (problem is not null) body.Add(CardKit.Problem(t[K.Reprompt_Intro], problem));
        body.Add(CardKit.Text(t[K.Expiry_Intro, t.Card(card)]));
        body.Add(new ColumnSet(
        [
            new Column([CardKit.MonthInput(CardIds.ExpiryMonth, t[K.Label_Month], t[K.Error_Month], t.Culture, null)]) { Width = "stretch" },
            new Column([CardKit.YearInput(CardIds.ExpiryYear, t[K.Label_Year], t[K.Error_Year], today.Year, null)]) { Width = "stretch" },
        ]));
        return CardKit.Card(body,
        [
            CardKit.Submit(t[K.Button_Continue], "continue", stamp, CardIds.SubmitExpiry),
            CardKit.Cancel(t[K.Button_Cancel], stamp),
        ], t[K.Expiry_Title]);
    }

    /// <summary>Saved cards other than the one on file: valid ones to choose, expired ones listed but not selectable.</summary>
    public static AdaptiveCard ChooseCard(BotTexts t, IReadOnlyList<PaymentMethod> usable, IReadOnlyList<PaymentMethod> expired, CardStamp stamp, string? problem = null)
    {
        var body = new List<CardElement> { CardKit.Title(t[K.ChooseCard_Title]) };
        if (problem is not null) body.Add(CardKit.Problem(t[K.Reprompt_Intro], problem));
        var actions = new List<CardAction>();
        if (usable.Count > 0)
        {
            body.Add(new ChoiceSetInput(usable.Select(card => new Choice(t.Card(card), card.Id)).ToList())
            {
                Id = CardIds.PaymentMethodId,
                Label = t[K.ChooseCard_Label],
                IsRequired = true,
                ErrorMessage = t[K.ChooseCard_Error],
                Style = ChoiceInputStyle.Expanded,
            });
            actions.Add(CardKit.Submit(t[K.Button_Continue], "continue", stamp, CardIds.SubmitChosenCard));
        }
        else
        {
            body.Add(CardKit.Text(t[K.ChooseCard_None]));
            actions.Add(CardKit.Submit(t[K.Action_AddCard], CardIds.ActionAddCard, stamp, CardIds.ChooseAction, (CardIds.Choice, CardIds.ActionAddCard)));
        }
        if (expired.Count > 0)
        {
            body.Add(new Container(
                [CardKit.Subtle(t[K.ChooseCard_ExpiredHeader]), .. expired.Select(card => CardKit.Subtle(t[K.Card_Expired, t.Card(card)]))])
            {
                Id = "expiredCards",
                Separator = true,
            });
        }
        actions.Add(CardKit.Cancel(t[K.Button_Cancel], stamp));
        return CardKit.Card(body, actions, t[K.ChooseCard_Title]);
    }

    /// <summary>
    /// A new card. On a re-prompt only the holder's name and the expiry come back filled in: the number and
    /// security code are never echoed, not even into the card's own inputs.
    /// </summary>
    public static AdaptiveCard AddCard(BotTexts t, DateOnly today, CardStamp stamp, string? problem = null, string? holderName = null, CardExpiry? expiry = null)
    {
        var body = new List<CardElement> { CardKit.Title(t[K.AddCard_Title]) };
        if (problem is not null) body.Add(CardKit.Problem(t[K.Reprompt_Intro], problem));
        body.Add(CardKit.Subtle(t[K.AddCard_Privacy]));
        body.Add(new TextInput
        {
            Id = CardIds.HolderName,
            Label = t[K.Label_Holder],
            IsRequired = true,
            Regex = HolderRegex,
            MaxLength = 50,
            ErrorMessage = t[K.Error_Holder],
            Value = holderName,
        });
        body.Add(new TextInput
        {
            Id = CardIds.CardNumber,
            Label = t[K.Label_Number],
            IsRequired = true,
            Regex = CardNumberRegex,
            MaxLength = 23,
            ErrorMessage = t[K.Error_Number],
            Style = TextInputStyle.Tel,
            Placeholder = "1234 5678 9012 3456",
        });
        body.Add(new ColumnSet(
        [
            new Column([CardKit.MonthInput(CardIds.ExpiryMonth, t[K.Label_ExpiryMonth], t[K.Error_Month], t.Culture, expiry?.Month)]) { Width = "stretch" },
            new Column([CardKit.YearInput(CardIds.ExpiryYear, t[K.Label_ExpiryYear], t[K.Error_Year], today.Year, expiry?.Year)]) { Width = "stretch" },
        ]));
        body.Add(new TextInput
        {
            Id = CardIds.SecurityCode,
            Label = t[K.Label_SecurityCode],
            IsRequired = true,
            Regex = SecurityCodeRegex,
            MaxLength = 4,
            ErrorMessage = t[K.Error_SecurityCode],
            Style = TextInputStyle.Password,
        });
        return CardKit.Card(body,
        [
            CardKit.Submit(t[K.Button_Continue], "continue", stamp, CardIds.SubmitNewCard),
            CardKit.Cancel(t[K.Button_Cancel], stamp),
        ], t[K.AddCard_Title]);
    }
}
