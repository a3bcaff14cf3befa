using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>Teams re-sends an activity with the same id when the bot was slow; the turn runs once.</summary>
public sealed class RedeliveryTests
{
    [Fact]
    public async Task Redelivered_message_is_answered_200_and_processed_once()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        var activity = env.Message("pay my balance", id: "1732600000000");

        using var first = await env.PostAsync(activity);
        using var second = await env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(env.Bot.Turns);
        Assert.Single(env.Connector.Requests);
    }

    [Fact]
    public async Task A_turn_that_failed_runs_again_when_the_channel_redelivers_it()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        var attempts = 0;
        env.Bot.OnMessage = (context, ct) => Interlocked.Increment(ref attempts) == 1
            ? throw new InvalidOperationException("transient failure")
            : context.SendActivityAsync("done", ct);
        var activity = env.Message("pay", id: "1732600000009");

        using var failed = await env.PostAsync(activity);
        using var redelivered = await env.PostAsync(activity);
        using var again = await env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, attempts); // the failed turn ran again once; the third delivery was a duplicate of a finished turn
        Assert.Equal("done", Assert.Single(env.Connector.Requests).ReadActivity().Text);
    }

    [Fact]
    public async Task Concurrent_redeliveries_run_the_turn_once()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        var activity = env.Message("retry payment", id: "1732600000001");
        var json = JsonSerializer.Serialize(activity, ProtocolJson.Context.Activity);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var r = await env.PostRawAsync(json);
            return r.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(env.Bot.Turns);
    }

    [Fact]
    public async Task Redelivered_invoke_is_200_with_no_body_and_not_rerun()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        var calls = 0;
        env.Bot.OnCardAction = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new AdaptiveCardInvokeResponse { Type = AdaptiveCardInvokeResponse.MessageType, Value = JsonSerializer.SerializeToElement("ok") });
        };
        var invoke = env.Message("", id: "f:invoke-1");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = AdaptiveCardInvokeValue.InvokeName;
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = "retryPayment" }, trigger = "manual" });

        using var first = await env.PostAsync(invoke);
        using var second = await env.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(string.Empty, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(string.Empty, await second.Content.ReadAsStringAsync());
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Same_id_in_another_conversation_is_a_different_activity_and_no_id_is_never_deduplicated()
    {
        await using var env = await BotTestEnvironment.StartAsync();

        using var a = await env.PostAsync(env.Message("x", id: "same", conversationId: "a:one"));
        using var b = await env.PostAsync(env.Message("x", id: "same", conversationId: "a:two"));
        var noId = env.Message("y");
        noId.Id = null;
        using var c = await env.PostAsync(noId);
        using var d = await env.PostAsync(noId);

        Assert.Equal(4, env.Bot.Turns.Count);
    }

    [Fact]
    public async Task Deduplicator_records_a_completed_turn_and_forgets_it_after_the_window()
    {
        var storage = new InMemoryTestStorage();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var dedupe = new StorageActivityDeduplicator(storage, clock);
        TestTurnContext Turn() => new(new Activity { Type = ActivityTypes.Message, Id = "id-1", ChannelId = "msteams", Conversation = new ConversationAccount { Id = "a:1" } });

        var first = Turn();
        Assert.True(await dedupe.TryBeginAsync(first, CancellationToken.None));
        Assert.True(await dedupe.TryBeginAsync(Turn(), CancellationToken.None)); // not completed yet: nothing recorded
        await dedupe.CompleteAsync(first, CancellationToken.None);
        Assert.False(await dedupe.TryBeginAsync(Turn(), CancellationToken.None));
        clock.Advance(StorageActivityDeduplicator.Window - TimeSpan.FromMinutes(1));
        Assert.False(await dedupe.TryBeginAsync(Turn(), CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = Turn();
        Assert.True(await dedupe.TryBeginAsync(late, CancellationToken.None));
        await dedupe.CompleteAsync(late, CancellationToken.None); // replaces the expired record (If-Match)
        Assert.False(await dedupe.TryBeginAsync(Turn(), CancellationToken.None));
    }

    [Fact]
    public async Task Two_deduplicators_on_one_storage_agree_like_two_instances()
    {
        var storage = new InMemoryTestStorage();
        var first = new StorageActivityDeduplicator(storage, TimeProvider.System);
        var second = new StorageActivityDeduplicator(storage, TimeProvider.System);
        TestTurnContext Turn() => new(new Activity { Type = ActivityTypes.Message, Id = "shared", ChannelId = "msteams", Conversation = new ConversationAccount { Id = "a:1" } });

        // Without the conversation lock both may start; only one record is written and neither completion fails.
        var (a, b) = (Turn(), Turn());
        Assert.True(await first.TryBeginAsync(a, CancellationToken.None));
        Assert.True(await second.TryBeginAsync(b, CancellationToken.None));
        await first.CompleteAsync(a, CancellationToken.None);
        await second.CompleteAsync(b, CancellationToken.None);

        Assert.False(await first.TryBeginAsync(Turn(), CancellationToken.None));
        Assert.False(await second.TryBeginAsync(Turn(), CancellationToken.None));
        Assert.Equal(1, storage.WriteCount);
        Assert.StartsWith(StorageActivityDeduplicator.KeyPrefix, StorageActivityDeduplicator.KeyFor("msteams", "a:1", new string('x', 10_000)), StringComparison.Ordinal);
        Assert.True(StorageActivityDeduplicator.KeyFor("msteams", "a:1", new string('x', 10_000)).Length < 100);
    }
}
