using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Directory;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Cards;

/// <summary>What someone who may not settle sees: who can, and what to ask them. Nothing about the balance.</summary>
public static class AccessCards
{
    public static AdaptiveCard NotAnAdmin(BotTexts t, IReadOnlyList<DirectoryUser> admins)
    {
        var names = admins.Select(admin => admin.Mail is { Length: > 0 } mail ? $"{admin.DisplayName} ({mail})" : admin.DisplayName).ToList();
        var body = new List<CardElement>
        {
            CardKit.Title(t[K.NotAdmin_Title]),
            CardKit.Text(t[K.NotAdmin_Body]),
            CardKit.Text(names.Count > 0 ? t[K.NotAdmin_WhoCan, string.Join(", ", names)] : t[K.NotAdmin_NoOneFound]),
            CardKit.Text(t[K.NotAdmin_WhatToAsk]),
        };
        return CardKit.Card(body, null, t[K.NotAdmin_Title]);
    }

    public static AdaptiveCard UnknownUser(BotTexts t) => CardKit.Card([CardKit.Text(t[K.UnknownUser])], null, t[K.UnknownUser]);
}
