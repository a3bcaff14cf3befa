using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Runs Save's charge outside the turn so a slow processor never holds the HTTP request: one in-flight task per
/// idempotency key in this process, and the billing provider's idempotency across processes and restarts
/// (asking again with the same key returns the first result and never charges twice).
/// </summary>
public sealed class PaymentRunner(IBillingProvider billing, IOptions<SettleOptions> options, TimeProvider time, ILogger<PaymentRunner> logger, IEnumerable<IPaymentObserver> observers)
{
    public PaymentRunner(IBillingProvider billing, IOptions<SettleOptions> options, TimeProvider time, ILogger<PaymentRunner> logger)
        : this(billing, options, time, logger, [])
    {
    }

    private readonly ConcurrentDictionary<string, Lazy<Task<SaveOutcome>>> _inFlight = new(StringComparer.Ordinal);

    public TimeSpan Wait => options.Value.PaymentWait;

    /// <summary>Starts the charge (or joins the one already running for the key) and returns its task.</summary>
    public Task<SaveOutcome> Start(PendingPayment payment) =>
        _inFlight.GetOrAdd(payment.IdempotencyKey, _ => new Lazy<Task<SaveOutcome>>(() => RunAsync(payment))).Value;

    /// <summary>The outcome if it arrives within <see cref="Wait"/>, else null (the charge carries on).</summary>
    public async Task<SaveOutcome?> StartAndWaitAsync(PendingPayment payment, CancellationToken cancellationToken)
    {
        var task = Start(payment);
        if (!task.IsCompleted)
        {
            var delay = Task.Delay(Wait, time, cancellationToken);
            await Task.WhenAny(task, delay).ConfigureAwait(false);
        }
        return task.IsCompleted ? await task.ConfigureAwait(false) : null;
    }

    private async Task<SaveOutcome> RunAsync(PendingPayment payment)
    {
        // Yield so the caller's turn is never blocked by a provider that completes synchronously but slowly.
        await Task.Yield();
        try
        {
            // Not the turn's token: the charge must finish even when the request that started it is gone.
            var result = await billing.SettleAsync(payment.Account, payment.Request, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Settle payment {Outcome} for subscription {SubscriptionId}", result.Outcome, payment.SubscriptionId);
            // Observers (the channel alert cards) run after the outcome is known: the receipt never waits for them.
            if (result.Outcome == PaymentOutcome.Paid) _ = NotifyPaidAsync(payment, result);
            return new SaveOutcome(result);
        }
        catch (NotCardOwnerException)
        {
            logger.LogInformation("Settle refused: expiry edit by a non-owner for subscription {SubscriptionId}", payment.SubscriptionId);
            return new SaveOutcome(null, NotCardOwner: true);
        }
        finally
        {
            // Later asks go to the provider again, which replays the stored result for the same key.
            _ = ForgetLaterAsync(payment.IdempotencyKey);
        }
    }

    private async Task NotifyPaidAsync(PendingPayment payment, PaymentResult result)
    {
        await Task.Yield();
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnPaidAsync(payment.Account, result, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A payment observer failed for subscription {SubscriptionId}", payment.SubscriptionId);
            }
        }
    }

    private async Task ForgetLaterAsync(string key)
    {
        await Task.Delay(TimeSpan.FromMinutes(5), time).ConfigureAwait(false);
        _inFlight.TryRemove(key, out _);
    }
}
