using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>The welcome card (on install) and the help card (on "help"): what the bot does and how to start.</summary>
public static class WelcomeCards
{
    /// <param name="inTeam">In a team or group chat the card points to the 1:1 chat for settling.</param>
    /// <param name="otherLanguage">The language the switch button offers ("nl" or "en").</param>
    public static AdaptiveCard Welcome(BotTexts t, bool inTeam, string otherLanguage) =>
        Build(t, t[K.Welcome_Title], inTeam, otherLanguage);

    public static AdaptiveCard Help(BotTexts t, bool inTeam, string otherLanguage) =>
        Build(t, t[K.Help_Title], inTeam, otherLanguage);

    private static AdaptiveCard Build(BotTexts t, string title, bool inTeam, string otherLanguage)
    {
        var body = new List<CardElement>
        {
            CardKit.Title(title),
            CardKit.Text(t[K.Welcome_Intro]),
            CardKit.Text(inTeam ? t[K.Welcome_Team] : t[K.Welcome_Start]),
            CardKit.Facts(
                (t[K.Help_Settle_Command], t[K.Help_Settle_Text]),
                (t[K.Help_Cancel_Command], t[K.Help_Cancel_Text]),
                (t[K.Help_Alerts_Command], t[K.Help_Alerts_Text]),
                (t[K.Help_Language_Command], t[K.Help_Language_Text]),
                (t[K.Help_Help_Command], t[K.Help_Help_Text])),
        };
        var actions = new List<CardAction>();
        if (!inTeam)
        {
            actions.Add(CardKit.Submit(t[K.Button_StartSettle], "start", CardStamp.None, CardIds.StartSettle));
        }
        actions.Add(CardKit.Submit(t[K.Button_OtherLanguage], "switchLanguage", CardStamp.None, CardIds.ChooseLanguage, (CardIds.Language, otherLanguage)));
        return CardKit.Card(body, actions, title);
    }

    /// <summary>An old or finished card was clicked: nothing happens, and the person learns how to start again.</summary>
    public static AdaptiveCard StepDone(BotTexts t) => CardKit.Card(
        [CardKit.Text(t[K.StepDone])],
        [CardKit.Submit(t[K.Button_StartSettle], "start", CardStamp.None, CardIds.StartSettle)],
        t[K.StepDone]);
}
