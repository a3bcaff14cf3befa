using System.Text.Json.Nodes;
using PastDueBot.Alerts.Storage;
using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;

namespace PastDueBot.Alerts.Cards;

/// <summary>
/// The channel cards of an episode, in the channel's language (the caller applies the culture): the alert (open,
/// possibly "X is settling this"), the reminder with Snooze, and the settled card with no buttons left.
/// Buttons are Action.Execute so a click is an invoke the bot answers per person.
/// </summary>
public static class AlertCards
{
    public const string SettleVerb = "alerts.settle";
    public const string SnoozeVerb = "alerts.snooze";
    public const string EpisodeIdKey = "episodeId";
    public const string SubscriptionIdKey = "subscriptionId";

    /// <summary>The card the thread's root post shows for the episode as it is now.</summary>
    public static AdaptiveCard Alert(BotTexts texts, AlertEpisode episode, DateTimeOffset now) =>
        episode.IsSettled ? Settled(texts, episode) : Open(texts, episode, now);

    public static AdaptiveCard Open(BotTexts texts, AlertEpisode episode, DateTimeOffset now)
    {
        var body = new List<CardElement>
        {
            Title(texts[TextKeys.Alert_Title], TextColor.Attention),
            new TextBlock(texts[TextKeys.Alert_Intro, episode.Product]),
            Facts(texts, episode, now),
            episode.HandlerName is { } handler
                ? new TextBlock(texts[TextKeys.Alert_Handling, handler, texts.Date(episode.HandlerAt ?? now)]) { Weight = TextWeight.Bolder }
                : new TextBlock(texts[TextKeys.Alert_WhoCan]) { IsSubtle = true, Size = TextSize.Small },
        };
        return Card(body, [Settle(texts, episode)], texts[TextKeys.Alert_Title]);
    }

    public static AdaptiveCard Reminder(BotTexts texts, AlertEpisode episode, DateTimeOffset now)
    {
        var body = new List<CardElement>
        {
            Title(texts[TextKeys.Alert_ReminderTitle], TextColor.Warning),
            new TextBlock(texts[TextKeys.Alert_ReminderIntro, episode.Product, texts.Days(Days(episode, now))]),
            Facts(texts, episode, now),
        };
        var snooze = new ExecuteAction(texts[TextKeys.Alert_SnoozeButton], SnoozeVerb)
        {
            Id = "snooze",
            Data = new JsonObject { [EpisodeIdKey] = episode.Id },
        };
        return Card(body, [Settle(texts, episode), snooze], texts[TextKeys.Alert_ReminderTitle]);
    }

    public static AdaptiveCard Settled(BotTexts texts, AlertEpisode episode)
    {
        var at = episode.SettledAt ?? DateTimeOffset.UtcNow;
        var body = new List<CardElement>
        {
            Title(texts[TextKeys.Alert_SettledTitle], TextColor.Good),
            new FactSet([
                new Fact(texts[TextKeys.Alert_Subscription], episode.Product),
                new Fact(texts[TextKeys.Alert_Amount], texts.Money(episode.Amount)),
            ]),
            new TextBlock(episode.SettledBy is { } by ? texts[TextKeys.Alert_SettledBy, by, texts.Date(at)] : texts[TextKeys.Alert_SettledUnknown, texts.Date(at)]),
            new TextBlock(texts[TextKeys.Receipt_Guidance]) { IsSubtle = true },
        };
        return Card(body, null, texts[TextKeys.Alert_SettledTitle]);
    }

    private static int Days(AlertEpisode episode, DateTimeOffset now) => Math.Max(0, (int)(now - episode.PastDueSince).TotalDays);

    private static FactSet Facts(BotTexts texts, AlertEpisode episode, DateTimeOffset now) => new([
        new Fact(texts[TextKeys.Alert_Subscription], episode.Product),
        new Fact(texts[TextKeys.Alert_Amount], texts.Money(episode.Amount)),
        new Fact(texts[TextKeys.Alert_DaysPastDue], texts.Days(Days(episode, now))),
        new Fact(texts[TextKeys.Alert_Reason], texts.ReasonSentence(episode.Reason)),
    ]);

    private static ExecuteAction Settle(BotTexts texts, AlertEpisode episode) => new(texts[TextKeys.Alert_SettleButton], SettleVerb)
    {
        Id = "settle",
        Data = new JsonObject { [EpisodeIdKey] = episode.Id, [SubscriptionIdKey] = episode.SubscriptionId },
    };

    private static TextBlock Title(string text, TextColor color) =>
        new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = TextBlockStyle.Heading, Color = color };

    private static AdaptiveCard Card(IReadOnlyList<CardElement> body, IReadOnlyList<CardAction>? actions, string fallback) => new()
    {
        Body = body,
        Actions = actions,
        FallbackText = fallback,
        Teams = new TeamsCardProperties("Full"),
    };
}
