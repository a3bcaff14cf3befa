using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Runs Save's charge outside the turn so a slow processor never holds the HTTP request: one in-flight task per
/// idempotency key in this process, then its outcome for a while (<see cref="CompletedPayments"/>), and the billing
/// provider's idempotency across processes and restarts (asking again with the same key returns the first result and
/// never charges twice).
/// </summary>
public sealed class PaymentRunner(IBillingProvider billing, IOptions<SettleOptions> options, TimeProvider time, ILogger<PaymentRunner> logger, IEnumerable<IPaymentObserver> observers)
{
    public PaymentRunner(IBillingProvider billing, IOptions<SettleOptions> options, TimeProvider time, ILogger<PaymentRunner> logger)
        : this(billing, options, time, logger, [])
    {
    }

    private readonly ConcurrentDictionary<string, Lazy<Task<SaveOutcome>>> _inFlight = new(StringComparer.Ordinal);

    // Once a charge ends only its outcome is kept, in bounded memory. Keeping each charge's task and payment for five
    // minutes, behind a timer of its own that captured the turn's execution context, held 20-25 MB at the load test's peak.
    private readonly CompletedPayments _completed = new(time);

    public TimeSpan Wait => options.Value.PaymentWait;

    /// <summary>
    /// Starts the charge and returns its task, or joins the one running for the key, or answers with the outcome of
    /// one that ended lately.
    /// </summary>
    public Task<SaveOutcome> Start(PendingPayment payment) =>
        _completed.TryGet(payment.IdempotencyKey, out var outcome)
            ? Task.FromResult(outcome)
            : _inFlight.GetOrAdd(payment.IdempotencyKey, _ => new Lazy<Task<SaveOutcome>>(() => RunAsync(payment))).Value;

    /// <summary>
    /// The outcome if it arrives within <see cref="Wait"/> (or before the turn is cancelled), else null (the charge
    /// carries on). A charge that failed throws, even with a TimeoutException of its own.
    /// </summary>
    public async Task<SaveOutcome?> StartAndWaitAsync(PendingPayment payment, CancellationToken cancellationToken)
    {
        var task = Start(payment);
        try
        {
            // WaitAsync stops its timer when the charge ends first. A Task.Delay raced against it stayed queued for the
            // whole wait, with the turn's execution context and a registration on its token: 2.5 s of every Save,
            // long enough to be promoted to the oldest generation.
            return await task.WaitAsync(Wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The wait ended, or the charge failed with one of these of its own: it tells which, if it has ended by now.
            return task.IsCompleted ? await task.ConfigureAwait(false) : null;
        }
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
            return Completed(payment, new SaveOutcome(result));
        }
        catch (NotCardOwnerException)
        {
            logger.LogInformation("Settle refused: expiry edit by a non-owner for subscription {SubscriptionId}", payment.SubscriptionId);
            return Completed(payment, new SaveOutcome(null, NotCardOwner: true));
        }
        finally
        {
            // A charge that failed is not remembered: the next ask goes to the provider again.
            _inFlight.TryRemove(payment.IdempotencyKey, out _);
        }
    }

    // Remembered before the running task is let go, so an ask in between finds one or the other.
    private SaveOutcome Completed(PendingPayment payment, SaveOutcome outcome)
    {
        _completed.Add(payment.IdempotencyKey, outcome);
        return outcome;
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
}
