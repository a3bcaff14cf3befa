using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Cards;
using PastDueBot.Alerts.Storage;
using PastDueBot.Cards;
using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Resources;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Alerts.Outbox;

/// <summary>
/// Delivers one claimed outbox row and records what happened. A new alert is a new channel thread
/// (<c>POST v3/conversations</c> with isGroup, channelData.channel.id and the card → thread id and root post id);
/// an update is a <c>PUT</c> of the root post; a reminder is a post in the thread.
/// Each call is one HTTP attempt, made when <see cref="SendLimiter"/> permits. Failures: 403 removed/blocked (the code,
/// or Teams' sub-code such as MessageWritesBlocked) → the channel is blocked with that reason; 429/412/5xx → retried
/// by the outbox later (a Retry-After pauses the whole tenant; a row meeting a pause longer than half the claim timeout
/// goes back to the outbox until it ends); no answer to a POST → "unconfirmed", never repeated; other 4xx → failed.
/// </summary>
public sealed class AlertSender(
    AlertsStore store,
    OutboxStore outbox,
    SendLimiter limiter,
    IConnectorClientFactory connectors,
    BotTexts texts,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertSender> logger)
{
    public async Task SendAsync(OutboxItem item, string claimer, CancellationToken cancellationToken)
    {
        var channel = await store.GetChannelAsync(item.ChannelId, cancellationToken).ConfigureAwait(false);
        var episode = await store.GetEpisodeAsync(item.EpisodeId, cancellationToken).ConfigureAwait(false);
        if (channel is null || episode is null || !channel.CanPost)
        {
            await FinishAsync(item, channel?.BlockedReason is null ? "skipped" : "blocked", channel?.BlockedReason ?? "alerts off", cancellationToken).ConfigureAwait(false);
            return;
        }

        AlertPost? post = null;
        if (item.Kind == OutboxKinds.Post)
        {
            if (episode.IsSettled)
            {
                // Paid before its alert went out: a new thread saying "settled" would only be noise.
                await FinishAsync(item, "skipped", "settled before posting", cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            post = await store.GetPostAsync(item.EpisodeId, item.ChannelId, cancellationToken).ConfigureAwait(false);
            if (post is null)
            {
                var postState = await outbox.PostStateAsync(item.EpisodeId, item.ChannelId, cancellationToken).ConfigureAwait(false);
                if (postState is "pending" or "sending")
                {
                    await outbox.RetryAsync(item, time.GetUtcNow() + TimeSpan.FromSeconds(2), "waiting for the alert", countAttempt: false, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await FinishAsync(item, "skipped", "no alert in this channel to follow up", cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            if (item.Kind == OutboxKinds.Remind && episode.IsSettled)
            {
                await FinishAsync(item, "skipped", "settled", cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (limiter.PausedUntil(channel.TenantId) is { } pausedUntil && pausedUntil - time.GetUtcNow() > options.Value.ClaimTimeout / 2)
        {
            // A long Retry-After: waiting for it here would outlive the claim and hold a send slot other tenants could use.
            await outbox.RetryAsync(item, pausedUntil, "tenant paused by Retry-After", countAttempt: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        BotLanguages.Apply(BotLanguages.Resolve(null, channel.Locale));
        // Teams limits a bot per conversation, and a channel is one conversation whichever thread is posted to.
        var permit = await limiter.WaitAsync(channel.TenantId, channel.ChannelId, cancellationToken).ConfigureAwait(false);
        try
        {
            // A POST that reached Teams must never be sent again: say so durably before sending (an update is idempotent).
            if (item.Kind != OutboxKinds.Update && !await outbox.MarkSendingAsync(item, claimer, options.Value.SendTimeout, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: claim lost to another instance", item.Kind, item.EpisodeId, item.ChannelId);
                return;
            }
            if (limiter.IsStale(permit))
            {
                // The write above was slow: sent now, the request would reach Teams bunched with those permitted after it.
                permit.Dispose();
                permit = await limiter.WaitAsync(channel.TenantId, channel.ChannelId, cancellationToken).ConfigureAwait(false);
            }
            await DeliverAsync(item, channel, episode, post, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            permit.Dispose();
        }
    }

    /// <summary>The one HTTP attempt, and what its answer means for the row.</summary>
    private async Task DeliverAsync(OutboxItem item, AlertChannel channel, AlertEpisode episode, AlertPost? post, CancellationToken cancellationToken)
    {
        // One HTTP attempt per outbox attempt: every request passed the limiter, and the outbox retries durably.
        var connector = connectors.CreateWithoutRetries(channel.ServiceUrl);
        var now = time.GetUtcNow();
        try
        {
            switch (item.Kind)
            {
                case OutboxKinds.Post:
                    var created = await connector.CreateConversationAsync(NewThread(channel, AlertCards.Alert(texts, episode, now)), cancellationToken).ConfigureAwait(false);
                    var threadId = created.Id ?? throw new ConnectorException(HttpStatusCode.BadGateway, null, "The connector returned no conversation id.");
                    var rootId = created.ActivityId ?? RootIdOf(threadId) ?? throw new ConnectorException(HttpStatusCode.BadGateway, null, "The connector returned no activity id.");
                    await outbox.CompletePostAsync(item, threadId, rootId, CancellationToken.None).ConfigureAwait(false);
                    logger.LogInformation("Alert post for episode {EpisodeId} to channel {ChannelId}: sent, thread {ThreadId} (attempt {Attempt})",
                        item.EpisodeId, item.ChannelId, threadId, item.Attempts + 1);
                    return;
                case OutboxKinds.Update:
                    var update = CardActivity(AlertCards.Alert(texts, episode, now));
                    update.Id = post!.ActivityId;
                    await connector.UpdateActivityAsync(post.ThreadId, post.ActivityId, update, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await connector.SendToConversationAsync(post!.ThreadId, CardActivity(AlertCards.Reminder(texts, episode, now)), cancellationToken).ConfigureAwait(false);
                    break;
            }
            await outbox.CompleteAsync(item, "sent", null, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: sent (attempt {Attempt})", item.Kind, item.EpisodeId, item.ChannelId, item.Attempts + 1);
        }
        catch (ConnectorException ex)
        {
            await OnFailureAsync(item, channel, ex).ConfigureAwait(false);
        }
    }

    private async Task OnFailureAsync(OutboxItem item, AlertChannel channel, ConnectorException ex)
    {
        var status = (int)ex.StatusCode;
        var attempt = item.Attempts + 1;
        if (ex.IsBotRemovedOrBlocked || ex.IsConversationNotFound)
        {
            var reason = ex.BlockedReason;
            await store.BlockAsync(channel.ChannelId, reason, CancellationToken.None).ConfigureAwait(false);
            await outbox.CompleteAsync(item, "blocked", reason, CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: Teams refused ({ErrorCode}); alerts to this channel stop",
                item.Kind, item.EpisodeId, item.ChannelId, reason);
            return;
        }

        if (item.Kind != OutboxKinds.Update && ex.ErrorCode == ConnectorErrorCodes.ClientTimeout)
        {
            await outbox.CompleteAsync(item, "unconfirmed", "no answer from the connector", CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: no answer; it may have arrived, so it is not sent again",
                item.Kind, item.EpisodeId, item.ChannelId);
            return;
        }

        if (ex.RetryAfter is { } retryAfter && status is 429 or 503)
        {
            // Teams said when: nothing more to this tenant until then, from any alert, not only this one.
            limiter.Pause(channel.TenantId, retryAfter);
            logger.LogWarning("Alerts to tenant {TenantId} paused for {RetryAfter} (Retry-After of a {Status} for channel {ChannelId})",
                channel.TenantId, retryAfter, status, item.ChannelId);
        }

        var retriable = status is 408 or 412 or 429 || status >= 500;
        if (!retriable || attempt >= options.Value.MaxAttempts)
        {
            await outbox.CompleteAsync(item, "failed", $"{status} {ex.ErrorCode}", CancellationToken.None).ConfigureAwait(false);
            logger.LogError("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: failed with {Status} {ErrorCode} after {Attempt} attempts",
                item.Kind, item.EpisodeId, item.ChannelId, status, ex.ErrorCode, attempt);
            return;
        }

        // Never sooner than Teams asked, and backing off further per attempt so a long throttle cannot use up the attempts.
        var backoff = Backoff(attempt);
        var delay = ex.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        await outbox.RetryAsync(item, time.GetUtcNow() + delay, $"{status} {ex.ErrorCode}", countAttempt: item.Kind == OutboxKinds.Update, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: {Status} {ErrorCode}, retry in {Delay} (attempt {Attempt})",
            item.Kind, item.EpisodeId, item.ChannelId, status, ex.ErrorCode, delay, attempt);
    }

    private Task FinishAsync(OutboxItem item, string state, string reason, CancellationToken cancellationToken)
    {
        logger.LogInformation("Alert {Kind} for episode {EpisodeId} to channel {ChannelId}: {State} ({Reason})", item.Kind, item.EpisodeId, item.ChannelId, state, reason);
        return outbox.CompleteAsync(item, state, reason, cancellationToken);
    }

    /// <summary>Exponential with full jitter, capped.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(options.Value.RetryMaxDelay.TotalMilliseconds, options.Value.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(cap / 2 + Random.Shared.NextDouble() * cap / 2);
    }

    private static ConversationParameters NewThread(AlertChannel channel, AdaptiveCard card) => new()
    {
        IsGroup = true,
        Bot = new ChannelAccount { Id = channel.BotId },
        TenantId = channel.TenantId,
        Activity = CardActivity(card),
        ChannelData = System.Text.Json.JsonSerializer.SerializeToElement(new JsonObject
        {
            ["channel"] = new JsonObject { ["id"] = channel.ChannelId },
            ["tenant"] = new JsonObject { ["id"] = channel.TenantId },
        }, ProtocolJson.Context.JsonNode),
    };

    /// <summary>The card alone in its activity: text next to it would make Teams split the message and lose the id.</summary>
    private static Activity CardActivity(AdaptiveCard card)
    {
        var activity = Activity.CreateMessageActivity();
        activity.Attachments = [Attachment.AdaptiveCard(CardJson.ToElement(card))];
        return activity;
    }

    /// <summary>"19:…@thread.tacv2;messageid=123" → "123".</summary>
    private static string? RootIdOf(string threadId)
    {
        var index = threadId.IndexOf(";messageid=", StringComparison.Ordinal);
        return index < 0 ? null : threadId[(index + ";messageid=".Length)..];
    }
}
