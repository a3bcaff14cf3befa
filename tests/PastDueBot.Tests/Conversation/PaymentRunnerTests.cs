using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PastDueBot.Conversation.Settle;
using PastDueBot.Domain.Billing;
using PastDueBot.Tests.Billing;

namespace PastDueBot.Tests.Conversation;

/// <summary>
/// Save's charge runs once per idempotency key: asks while it runs join it, asks soon after get its outcome, and an
/// outcome the runner has forgotten is replayed by the provider (the demo ledger, on a real SQLite file), never charged again.
/// </summary>
public sealed class PaymentRunnerTests : IAsyncLifetime
{
    private static readonly BillingAccount Ada = new("tenant-contoso", "0f1e2d3c-aaaa-4bbb-9ccc-000000000001");

    private readonly LedgerFixture _f = new();
    private CountingBilling _billing = null!;
    private PaymentRunner _runner = null!;
    private PendingPayment _payment = null!;

    public async Task InitializeAsync()
    {
        _billing = new CountingBilling(_f.Ledger);
        _runner = new PaymentRunner(_billing, Options.Create(new SettleOptions()), _f.Time, NullLogger<PaymentRunner>.Instance);
        var (expired, _) = await _f.PastDueAsync(Ada);
        _payment = new PendingPayment(Ada.TenantId, Ada.AdminId, expired.Id, expired.PaymentMethodId, 12, 2029, "flow-1:1");
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Asks_while_the_charge_runs_join_it_and_asks_after_it_get_its_outcome_without_asking_the_provider()
    {
        _billing.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _runner.Start(_payment);
        var second = _runner.Start(_payment);
        Assert.Same(first, second);
        _billing.Hold.SetResult();

        var outcome = await first;
        var later = await _runner.Start(_payment);

        Assert.Equal(PaymentOutcome.Paid, outcome.Result!.Outcome);
        Assert.Same(outcome, later);
        Assert.Equal(1, _billing.Settles);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments"));
    }

    [Fact]
    public async Task A_forgotten_outcome_is_replayed_by_the_provider_and_charged_once()
    {
        var outcome = await _runner.Start(_payment);
        // Two retention periods later, with other payments in between, the runner no longer holds it.
        _f.Time.Advance(CompletedPayments.Retention);
        await _runner.Start(_payment with { IdempotencyKey = "other-flow:1" });
        _f.Time.Advance(CompletedPayments.Retention);
        await _runner.Start(_payment with { IdempotencyKey = "another-flow:1" });

        var replayed = await _runner.Start(_payment);

        Assert.Equal(4, _billing.Settles); // this payment, the two others, and the replay
        Assert.NotSame(outcome, replayed);
        Assert.Equal(outcome.Result, replayed.Result);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments WHERE outcome = 'Paid'"));
    }

    [Fact]
    public async Task A_charge_that_failed_is_not_remembered_and_the_next_ask_tries_again()
    {
        _billing.FailNext = new TimeoutException("The processor did not answer.");
        await Assert.ThrowsAsync<TimeoutException>(() => _runner.Start(_payment));

        var outcome = await _runner.Start(_payment);

        Assert.Equal(PaymentOutcome.Paid, outcome.Result!.Outcome);
        Assert.Equal(2, _billing.Settles);
    }

    [Fact]
    public async Task Save_waits_for_a_charge_that_ends_within_the_wait_and_gets_its_outcome()
    {
        var outcome = await _runner.StartAndWaitAsync(_payment, CancellationToken.None);

        Assert.Equal(PaymentOutcome.Paid, outcome!.Result!.Outcome);
    }

    [Fact]
    public async Task A_charge_that_outlives_the_wait_or_the_turn_carries_on_and_is_answered_later()
    {
        _billing.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = _runner.StartAndWaitAsync(_payment, CancellationToken.None);
        _f.Time.Advance(_runner.Wait);
        Assert.Null(await waiting);

        using var turn = new CancellationTokenSource();
        var cancelled = _runner.StartAndWaitAsync(_payment, turn.Token);
        await turn.CancelAsync();
        Assert.Null(await cancelled);

        _billing.Hold.SetResult();
        var outcome = await _runner.Start(_payment);
        Assert.Equal(PaymentOutcome.Paid, outcome.Result!.Outcome);
        Assert.Equal(1, _billing.Settles);
    }

    [Fact]
    public async Task A_charge_that_fails_with_a_timeout_of_its_own_is_a_failure_not_a_wait_that_ran_out()
    {
        _billing.FailNext = new TimeoutException("The processor did not answer.");

        await Assert.ThrowsAsync<TimeoutException>(() => _runner.StartAndWaitAsync(_payment, CancellationToken.None));
    }

    /// <summary>The processor's edge: counts charge requests, and can hold or fail the next one.</summary>
    private sealed class CountingBilling(IBillingProvider inner) : IBillingProvider
    {
        private int _settles;
        private Exception? _failNext;

        public int Settles => Volatile.Read(ref _settles);

        public TaskCompletionSource? Hold { get; set; }

        public Exception? FailNext
        {
            set => Volatile.Write(ref _failNext, value);
        }

        public async Task<PaymentResult> SettleAsync(BillingAccount account, SettleRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _settles);
            if (Hold is { } hold) await hold.Task;
            if (Interlocked.Exchange(ref _failNext, null) is { } failure) throw failure;
            return await inner.SettleAsync(account, request, cancellationToken);
        }

        public Task<IReadOnlyList<Subscription>> GetPastDueSubscriptionsAsync(BillingAccount account, CancellationToken cancellationToken = default) =>
            inner.GetPastDueSubscriptionsAsync(account, cancellationToken);

        public Task<Subscription?> GetSubscriptionAsync(BillingAccount account, string subscriptionId, CancellationToken cancellationToken = default) =>
            inner.GetSubscriptionAsync(account, subscriptionId, cancellationToken);

        public Task<IReadOnlyList<PaymentMethod>> GetPaymentMethodsAsync(BillingAccount account, CancellationToken cancellationToken = default) =>
            inner.GetPaymentMethodsAsync(account, cancellationToken);

        public Task<PaymentMethod> AddCardAsync(BillingAccount account, NewCard card, CancellationToken cancellationToken = default) =>
            inner.AddCardAsync(account, card, cancellationToken);

        public Task<IReadOnlyList<Subscription>> ScanPastDueAsync(string tenantId, CancellationToken cancellationToken = default) =>
            inner.ScanPastDueAsync(tenantId, cancellationToken);
    }
}
