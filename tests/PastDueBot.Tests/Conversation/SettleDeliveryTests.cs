using PastDueBot.Conversation.Cards;

namespace PastDueBot.Tests.Conversation;

/// <summary>How Save behaves under the conditions Teams creates: slow processors, Action.Execute, double clicks, restarts.</summary>
public sealed class SettleDeliveryTests
{
    private static string NextYear => (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static BotReply CardWith(IEnumerable<BotReply> replies, string text) =>
        replies.LastOrDefault(reply => reply.Card is not null && reply.Json.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No card containing '{text}'.");

    /// <summary>Walks to the review card of the owner's expiry edit on the first subscription.</summary>
    private static async Task<BotReply> ReviewAsync(TeamsChat chat)
    {
        var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
        var premium = (string)TeamsChat.Descendants(list.Card).Single(node => ((string?)node["title"])?.StartsWith("Microsoft 365 Business Premium", StringComparison.Ordinal) == true && node["value"] is not null)["value"]!;
        var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = premium }), CardIds.ActionEditExpiry);
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
        return CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Review and pay");
    }

    [Fact]
    public async Task A_slow_charge_is_acknowledged_at_once_and_its_result_posted_when_it_arrives()
    {
        await using var host = await SettleBotHost.StartAsync(new Dictionary<string, string?>
        {
            ["Billing:Demo:ProcessorDelay"] = "00:00:03",
            ["Settle:PaymentWait"] = "00:00:00.100",
        });
        var chat = host.Chat("slow-1");
        var review = await ReviewAsync(chat);

        var before = chat.RequestCount;
        var saved = await chat.SubmitAsync(review, CardIds.Save);
        Assert.Contains(saved, reply => reply.Method == "PUT");
        Assert.Contains("Working on it", CardWith(saved, "Payment in progress").Json, StringComparison.Ordinal);
        Assert.DoesNotContain(saved, reply => reply.Json.Contains("Payment received", StringComparison.Ordinal));

        var receipt = await chat.WaitForAsync(before, "Payment received");
        Assert.Contains("48 hours", receipt.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_by_Action_Execute_replaces_the_card_in_the_invoke_response()
    {
        await using var host = await SettleBotHost.StartAsync();
        var chat = host.Chat("execute-1");
        var review = await ReviewAsync(chat);

        var (body, replies) = await chat.ExecuteAsync(review, CardIds.Save);
        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        Assert.Null(body["value"]!["actions"]);
        Assert.Contains("Payment received", CardWith(replies, "Payment received").Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_concurrent_Save_clicks_pay_once()
    {
        await using var host = await SettleBotHost.StartAsync();
        var chat = host.Chat("burst-1");
        var review = await ReviewAsync(chat);

        var before = chat.RequestCount;
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => chat.SubmitAsync(review, CardIds.Save)));
        var replies = chat.Replies(before);
        Assert.Single(replies, reply => reply.Json.Contains("Payment received", StringComparison.Ordinal));
        Assert.Equal(99, replies.Count(reply => reply.Json.Contains("already done", StringComparison.Ordinal)));
        // Only the other subscription is still past due.
        var left = Assert.Single(await chat.SayAsync("settle")).Json;
        Assert.Contains("Microsoft Teams Phone Standard", left, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft 365 Business Premium", left, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_bot_continues_the_conversation_at_the_same_step()
    {
        var first = await SettleBotHost.StartAsync();
        var chat = first.Chat("restart-1");
        var review = await ReviewAsync(chat);

        await using var second = await first.RestartAsync();
        await first.DisposeAsync();
        var again = chat.On(second);
        var receipt = CardWith(await again.SubmitAsync(review, CardIds.Save), "Payment received");
        Assert.Contains("48 hours", receipt.Json, StringComparison.Ordinal);
    }
}
