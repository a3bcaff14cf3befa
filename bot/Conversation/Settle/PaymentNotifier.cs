using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Posts a slow payment's result when it arrives: once the charge completes, a proactive turn (the adapter's
/// ContinueConversationAsync) feeds an event named <see cref="PaymentCompletedEvent"/> through the bot, and the
/// waiting dialog step picks the result up. Only the idempotency key travels; the result is asked of the runner,
/// so the same code path serves a restart (where the next message re-asks the provider).
/// </summary>
public sealed class PaymentNotifier(IServiceProvider services, PaymentRunner runner, ILogger<PaymentNotifier> logger)
{
    public const string PaymentCompletedEvent = "pastduebot/paymentCompleted";

    private readonly ConcurrentDictionary<string, byte> _watching = new(StringComparer.Ordinal);

    /// <summary>Watches the payment (once per key in this process) and continues the conversation when it ends.</summary>
    public void NotifyWhenDone(PendingPayment payment, ConversationReference reference)
    {
        if (!_watching.TryAdd(payment.IdempotencyKey, 0)) return;
        _ = WatchAsync(payment, reference);
    }

    private async Task WatchAsync(PendingPayment payment, ConversationReference reference)
    {
        try
        {
            await runner.Start(payment).ConfigureAwait(false);
            var adapter = services.GetRequiredService<CloudAdapter>();
            var bot = services.GetRequiredService<IBot>();
            await adapter.ContinueConversationAsync(reference, async (turnContext, cancellationToken) =>
            {
                turnContext.Activity.Name = PaymentCompletedEvent;
                turnContext.Activity.Value = JsonSerializer.SerializeToElement(payment.IdempotencyKey, ProtocolJson.Context.String);
                await bot.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The person's next message re-asks the provider with the same key, so nothing is lost.
            logger.LogError(ex, "Posting a payment result for subscription {SubscriptionId} failed", payment.SubscriptionId);
        }
        finally
        {
            _watching.TryRemove(payment.IdempotencyKey, out _);
        }
    }
}
