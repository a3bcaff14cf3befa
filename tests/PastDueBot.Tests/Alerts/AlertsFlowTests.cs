using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Alerts.Storage;
using PastDueBot.Conversation.Cards;
using PastDueBot.Domain.Billing;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// Channel alerts end to end over HTTP: the real host (demo ledger and directory on a SQLite file) is installed in a
/// team, posts alert threads into the loopback connector, and follows the card through clicks and the payment.
/// </summary>
public sealed class AlertsFlowTests : IAsyncLifetime
{
    private const string Premium = "Microsoft 365 Business Premium";
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartProductAsync(new Dictionary<string, string?> { ["Alerts:PollInterval"] = "00:00:00.100" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private AlertsStore Store => _host.Services.GetRequiredService<AlertsStore>();

    /// <summary>The demo ledger gives a person their past-due subscriptions on first contact.</summary>
    private Task SeedAsync(string adminId) =>
        _host.Services.GetRequiredService<IBillingProvider>().GetPastDueSubscriptionsAsync(new BillingAccount("tenant-1", adminId));

    private async Task<(AlertEpisode Episode, AlertPost Post, JsonObject Card)> WaitForAlertAsync(TeamsChannel channel, string product)
    {
        return await ConnectorLog.WaitForAsync(() =>
        {
            var episode = Store.GetOpenEpisodesAsync("tenant-1").GetAwaiter().GetResult().FirstOrDefault(e => e.Product == product);
            var post = episode is null ? null : Store.GetPostAsync(episode.Id, channel.ChannelId).GetAwaiter().GetResult();
            if (post is null) return null;
            var card = ConnectorLog.ThreadsCreated(_host.Connector).Select(t => ConnectorLog.CardOf((JsonObject)t.Body["activity"]!))
                .Single(c => c.ToJsonString().Contains(product, StringComparison.Ordinal));
            return Tuple.Create(episode!, post, card);
        }, $"the alert for {product}").ContinueWith(t => (t.Result.Item1, t.Result.Item2, t.Result.Item3));
    }

    private IReadOnlyList<ConnectorRequest> Puts(AlertPost post) => _host.Connector.Requests
        .Where(r => r.Method == "PUT" && r.RawTarget.EndsWith($"/v3/conversations/{Uri.EscapeDataString(post.ThreadId)}/activities/{Uri.EscapeDataString(post.ActivityId)}", StringComparison.Ordinal))
        .ToList();

    [Fact]
    public async Task Install_posts_the_alert_a_click_settles_in_a_private_chat_and_the_payment_updates_the_channel_card()
    {
        await SeedAsync("admin-1");
        var channel = new TeamsChannel(_host);
        await channel.InstallAsync();

        // Install → one new thread per past-due subscription, in that channel, with the card.
        var (episode, post, card) = await WaitForAlertAsync(channel, Premium);
        var create = ConnectorLog.ThreadsCreated(_host.Connector).Single(t => t.Body.ToJsonString().Contains(Premium, StringComparison.Ordinal)).Body;
        Assert.Equal(channel.ChannelId, (string?)create["channelData"]!["channel"]!["id"]);
        Assert.Equal("tenant-1", (string?)create["channelData"]!["tenant"]!["id"]);
        Assert.Equal(TeamsChannel.BotId, (string?)create["bot"]!["id"]);
        var json = card.ToJsonString();
        foreach (var expected in new[] { "Payment past due", Premium, "$264.00", "12 days", "The card has expired." })
        {
            Assert.Contains(expected, json, StringComparison.Ordinal);
        }
        var settle = TeamsChat.Descendants(card).Single(node => (string?)node["type"] == "Action.Execute");
        Assert.Equal("alerts.settle", (string?)settle["verb"]);
        Assert.Equal(episode.SubscriptionId, (string?)settle["data"]!["subscriptionId"]);
        // The Teams Phone subscription is past due too: its alert follows (the scanner posts them one after the other).
        await WaitForAlertAsync(channel, "Microsoft Teams Phone Standard");
        Assert.Equal(2, ConnectorLog.ThreadsCreated(_host.Connector).Count);

        // A non-admin is told who can, and no private chat is opened.
        var refused = await channel.ExecuteAsync(card, "alerts.settle", post.ThreadId, post.ActivityId, "29:someone", "nonadmin-7");
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)refused["type"]);
        Assert.Contains("Only a billing admin", (string?)refused["value"], StringComparison.Ordinal);
        Assert.Contains("Megan Bowen", (string?)refused["value"], StringComparison.Ordinal);
        Assert.DoesNotContain(ConnectorLog.Creates(_host.Connector), c => c.Body["isGroup"]?.GetValue<bool>() == false);

        // An admin: a 1:1 chat is created and the settle flow's first card for that subscription is sent there.
        var accepted = await channel.ExecuteAsync(card, "alerts.settle", post.ThreadId, post.ActivityId, "29:admin", "admin-1");
        Assert.Contains("1:1 chat", (string?)accepted["value"], StringComparison.Ordinal);
        var oneToOne = Assert.Single(ConnectorLog.Creates(_host.Connector), c => c.Body["isGroup"]?.GetValue<bool>() == false).Body;
        Assert.Equal("29:admin", (string?)oneToOne["members"]![0]!["id"]);
        Assert.Equal("tenant-1", (string?)oneToOne["channelData"]!["tenant"]!["id"]);
        Assert.Equal(TeamsChannel.BotId, (string?)oneToOne["bot"]!["id"]);
        var chatRecord = await Store.GetPersonalChatAsync("tenant-1", "admin-1");
        Assert.NotNull(chatRecord);
        var chat = new TeamsChat(_host, "admin-1", "en-US", chatRecord.ConversationId, "29:admin");
        var actions = chat.Replies(0).Single(reply => reply.Card is not null);
        Assert.Contains("How do you want to pay?", actions.Json, StringComparison.Ordinal);
        Assert.Contains(CardIds.ActionEditExpiry, actions.Json, StringComparison.Ordinal);

        // The channel card now says who is handling it (PUT of the same root post).
        var handling = await ConnectorLog.WaitForAsync(() => Puts(post).FirstOrDefault(r => r.Body.Contains("is settling this", StringComparison.Ordinal)), "the 'handling' update");
        Assert.Contains("Demo Billing Admin", handling.Body, StringComparison.Ordinal);

        // Paying in the private chat updates the channel card in place: settled, by whom, when, 48 hours, no buttons.
        var form = (await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry)).Last(reply => reply.Card is not null);
        var nextYear = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var review = (await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = nextYear }))
            .Last(reply => reply.Card is not null);
        var saved = await chat.SubmitAsync(review, CardIds.Save);
        Assert.Contains(saved, reply => reply.Json.Contains("Payment received", StringComparison.Ordinal));

        var settled = await ConnectorLog.WaitForAsync(() => Puts(post).FirstOrDefault(r => r.Body.Contains("Balance settled", StringComparison.Ordinal)), "the 'settled' update");
        var settledCard = ConnectorLog.CardOf(JsonNode.Parse(settled.Body)!.AsObject());
        var settledJson = settledCard.ToJsonString();
        Assert.Contains("Settled by Demo Billing Admin on", settledJson, StringComparison.Ordinal);
        Assert.Contains("48 hours", settledJson, StringComparison.Ordinal);
        Assert.Null(settledCard["actions"]);
        Assert.DoesNotContain("Action.", settledJson, StringComparison.Ordinal);
        Assert.Equal(post.ActivityId, (string?)JsonNode.Parse(settled.Body)!["id"]);
        Assert.Contains("channel " + channel.ChannelId, _host.LogText(), StringComparison.Ordinal);
    }

    /// <summary>Teams' documented refusals of a post, each as its body is on the wire (teams-bot-facts §4).</summary>
    public static TheoryData<string, string> Refusals => new()
    {
        { "BotNotInConversationRoster", ConnectorReply.Error(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.").Body! },
        { "ConversationBlockedByUser", ConnectorReply.Error(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.").Body! },
        { "BotDisabledByAdmin", ConnectorReply.Error(403, "BotDisabledByAdmin", "The tenant admin disabled this bot.").Body! },
        { "MessageWritesBlocked", Connector.ConnectorSingleAttemptTests.MessageWritesBlockedBody },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_channel_that_refuses_the_bot_stops_getting_alerts_and_status_says_why(string reason, string body)
    {
        await SeedAsync("admin-2");
        _host.Connector.Responder = request => request.Method == "POST" && request.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal)
            ? new ConnectorReply(403, body)
            : null;
        var channel = new TeamsChannel(_host, "19:blocked@thread.tacv2");
        await channel.InstallAsync();

        var stored = await ConnectorLog.WaitForAsync(() => Store.GetChannelAsync(channel.ChannelId).GetAwaiter().GetResult() is { BlockedReason: not null } c ? c : null, "the block");
        Assert.Equal(reason, stored.BlockedReason);
        // The refusal stops the channel: both decided alerts end "blocked" (one may have been in flight already).
        var states = await ConnectorLog.WaitForAsync(() => _host.Services.GetRequiredService<PastDueBot.Alerts.Outbox.OutboxStore>()
            .CountByStateAsync(CancellationToken.None).GetAwaiter().GetResult() is { } counts && counts.GetValueOrDefault("blocked") == 2 ? counts : null, "both rows blocked");
        Assert.Equal(2, states.Values.Sum());
        // Refusals are not retried: at most one attempt per decided alert reached Teams.
        Assert.InRange(ConnectorLog.ThreadsCreated(_host.Connector).Count, 1, 2);

        var before = _host.Connector.Requests.Count;
        await channel.SayAsync("alerts status");
        var reply = _host.Connector.Requests.Skip(before).Single(r => r.Method == "POST");
        Assert.Contains("paused", reply.Body, StringComparison.Ordinal);
        Assert.Contains(reason, reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_are_switched_in_Dutch_and_removing_the_bot_unsubscribes()
    {
        var channel = new TeamsChannel(_host, "19:nl@thread.tacv2", locale: "nl-NL");
        async Task<string> SayAsync(string text)
        {
            var before = _host.Connector.Requests.Count;
            await channel.SayAsync(text);
            return _host.Connector.Requests.Skip(before).Single(r => r.Method == "POST" && r.Body.Contains("\"text\"", StringComparison.Ordinal)).Body;
        }

        Assert.Contains("Meldingen staan aan", await SayAsync("meldingen aan"), StringComparison.Ordinal);
        Assert.Contains("Meldingen staan aan voor dit kanaal", await SayAsync("meldingen status"), StringComparison.Ordinal);
        Assert.Contains("Meldingen staan uit", await SayAsync("meldingen uit"), StringComparison.Ordinal);
        Assert.False((await Store.GetChannelAsync(channel.ChannelId))!.Enabled);
        Assert.Contains("Meldingen staan aan", await SayAsync("meldingen aan"), StringComparison.Ordinal);

        await channel.UninstallAsync();
        Assert.False((await Store.GetChannelAsync(channel.ChannelId))!.Enabled);
        Assert.Contains("Alerts are off", await new TeamsChannel(_host, "19:nl@thread.tacv2").SayAsync("alerts status").ContinueWith(_ =>
            _host.Connector.Requests.Last(r => r.Method == "POST").Body), StringComparison.Ordinal);
    }
}
