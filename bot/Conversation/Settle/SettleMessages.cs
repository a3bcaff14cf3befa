using PastDueBot.Cards;
using PastDueBot.Cards.Model;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

/// <summary>Activities carrying one of PastDueBot's cards. A card is sent on its own so its id comes back for updates.</summary>
public static class SettleMessages
{
    public static Activity Card(AdaptiveCard card)
    {
        var activity = Activity.CreateMessageActivity();
        activity.Attachments = [Attachment.AdaptiveCard(CardJson.ToElement(card))];
        return activity;
    }

    public static Activity Text(string text) => Activity.CreateMessageActivity(text);
}
