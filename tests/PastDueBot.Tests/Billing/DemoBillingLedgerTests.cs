using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Demo;
using PastDueBot.Storage.Billing;
using PastDueBot.Tests.Postgres;

namespace PastDueBot.Tests.Billing;

/// <summary>The ledger's behaviour on every dialect: SQLite here, PostgreSQL in Postgres/PostgresDemoBillingLedgerTests.</summary>
public abstract class DemoBillingLedgerTests : IAsyncLifetime
{
    private static readonly BillingAccount Ada = new("tenant-contoso", "0f1e2d3c-aaaa-4bbb-9ccc-000000000001");
    private static readonly BillingAccount Bob = new("tenant-contoso", "0f1e2d3c-aaaa-4bbb-9ccc-000000000002");

    private LedgerFixture _f = null!;

    private DemoBillingLedger Ledger => _f.Ledger;

    /// <summary>A fixture on a fresh, empty database of the dialect under test.</summary>
    protected abstract Task<LedgerFixture> CreateFixtureAsync();

    public async Task InitializeAsync() => _f = await CreateFixtureAsync();

    public async Task DisposeAsync()
    {
        if (_f is not null) await _f.DisposeAsync();
    }

    [DatabaseFact]
    public async Task First_contact_seeds_an_own_expired_card_and_one_owned_by_someone_else()
    {
        var (expired, megans) = await _f.PastDueAsync(Ada);
        var cards = await Ledger.GetPaymentMethodsAsync(Ada);
        var today = DateOnly.FromDateTime(LedgerFixture.Now.UtcDateTime);

        Assert.Equal(new Money(264.00m, "USD"), expired.Balance);
        Assert.Equal(12, expired.DaysPastDue(LedgerFixture.Now));
        Assert.Equal(DeclineReason.ExpiredCard, expired.LastDeclineReason);
        var expiredCard = cards.Single(c => c.Id == expired.PaymentMethodId);
        Assert.Equal(("4242", true, true), (expiredCard.LastFour, expiredCard.IsOwnedBy(Ada.AdminId), expiredCard.IsExpired(today)));

        Assert.Equal(new Money(80.00m, "USD"), megans.Balance);
        Assert.Equal(3, megans.DaysPastDue(LedgerFixture.Now));
        var megansCard = cards.Single(c => c.Id == megans.PaymentMethodId);
        Assert.Equal((DemoPeople.MeganBowenId, DemoPeople.MeganBowenName, false), (megansCard.OwnerId, megansCard.OwnerName, megansCard.IsExpired(today)));

        Assert.Equal(4, cards.Count);
        Assert.Single(SettlePolicy.Choosable(cards, today), c => c.IsOwnedBy(Ada.AdminId));
        Assert.Equal(3, await _f.CountAsync("SELECT COUNT(*) FROM subscriptions WHERE admin_id = @a", ("@a", Ada.AdminId)));
    }

    [DatabaseFact]
    public async Task Each_person_gets_their_own_balances_and_one_payment_never_empties_another()
    {
        var (adaSub, _) = await _f.PastDueAsync(Ada);
        var (bobSub, _) = await _f.PastDueAsync(Bob);
        Assert.NotEqual(adaSub.Id, bobSub.Id);

        var result = await Ledger.SettleAsync(Ada, new SettleRequest(adaSub.Id, adaSub.PaymentMethodId, new CardExpiry(12, 2029), "k1"));
        Assert.Equal(PaymentOutcome.Paid, result.Outcome);

        Assert.Single(await Ledger.GetPastDueSubscriptionsAsync(Ada));
        Assert.Equal(2, (await Ledger.GetPastDueSubscriptionsAsync(Bob)).Count);
        Assert.Null(await Ledger.GetSubscriptionAsync(Bob, adaSub.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Ledger.SettleAsync(Bob, new SettleRequest(adaSub.Id, bobSub.PaymentMethodId, null, "k2")));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Ledger.SettleAsync(Bob, new SettleRequest(bobSub.Id, adaSub.PaymentMethodId, null, "k3")));
    }

    [DatabaseFact]
    public async Task Two_first_turns_at_once_seed_once()
    {
        var second = _f.NewLedger(_f.NewDatabase());
        await Ledger.GetPaymentMethodsAsync(Bob); // both ledgers' schema exists before the race
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? Ledger : second).GetPastDueSubscriptionsAsync(Ada))));

        Assert.Equal(3, await _f.CountAsync("SELECT COUNT(*) FROM subscriptions WHERE admin_id = @a", ("@a", Ada.AdminId)));
        Assert.Equal(4, await _f.CountAsync("SELECT COUNT(*) FROM payment_methods WHERE admin_id = @a", ("@a", Ada.AdminId)));
    }

    [DatabaseFact]
    public async Task Retrying_the_expired_card_declines_and_the_owner_renewing_it_pays()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);

        var retry = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, null, "retry"));
        Assert.Equal((PaymentOutcome.Declined, DeclineReason.ExpiredCard), (retry.Outcome, retry.DeclineReason));
        Assert.True((await Ledger.GetSubscriptionAsync(Ada, sub.Id))!.IsPastDue);

        var renewed = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "renew"));
        Assert.Equal(PaymentOutcome.Paid, renewed.Outcome);
        Assert.Equal(new Money(264m, "USD"), renewed.Amount);
        Assert.Equal(new CardExpiry(9, 2029), renewed.Card.Expiry);
        Assert.NotNull(renewed.Reference);

        var after = (await Ledger.GetSubscriptionAsync(Ada, sub.Id))!;
        Assert.Equal((0m, null, null, false), (after.Balance.Amount, after.PastDueSince, after.LastDeclineReason, after.IsPastDue));
        Assert.Equal(new CardExpiry(9, 2029), (await Ledger.GetPaymentMethodsAsync(Ada)).Single(c => c.Id == sub.PaymentMethodId).Expiry);
    }

    [DatabaseFact]
    public async Task Someone_elses_card_cannot_have_its_expiry_changed_and_declines_for_funds()
    {
        var (_, sub) = await _f.PastDueAsync(Ada);

        var error = await Assert.ThrowsAsync<NotCardOwnerException>(() =>
            Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(1, 2030), "edit")));
        Assert.Equal(sub.PaymentMethodId, error.PaymentMethodId);
        Assert.Equal(0, await _f.CountAsync("SELECT COUNT(*) FROM payments"));

        var retry = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, null, "edit"));
        Assert.Equal((PaymentOutcome.Declined, DeclineReason.InsufficientFunds), (retry.Outcome, retry.DeclineReason));
    }

    [DatabaseFact]
    public async Task Another_own_card_pays_and_becomes_the_subscriptions_card()
    {
        var (_, sub) = await _f.PastDueAsync(Ada);
        var mastercard = (await Ledger.GetPaymentMethodsAsync(Ada)).Single(c => c.LastFour == "4444");

        var paid = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, mastercard.Id, null, "other"));

        Assert.Equal(PaymentOutcome.Paid, paid.Outcome);
        Assert.Equal(mastercard.Id, (await Ledger.GetSubscriptionAsync(Ada, sub.Id))!.PaymentMethodId);
    }

    [DatabaseFact]
    public async Task The_long_expired_saved_card_declines_as_expired()
    {
        var (_, sub) = await _f.PastDueAsync(Ada);
        var discover = (await Ledger.GetPaymentMethodsAsync(Ada)).Single(c => c.LastFour == "1117");
        var result = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, discover.Id, null, "old"));
        Assert.Equal(DeclineReason.ExpiredCard, result.DeclineReason);
    }

    [DatabaseTheory]
    [InlineData("4000 0000 0000 0002", "123", PaymentOutcome.Declined, DeclineReason.Declined)]
    [InlineData("4000 0000 0000 9995", "123", PaymentOutcome.Declined, DeclineReason.InsufficientFunds)]
    [InlineData("4000 0000 0000 0069", "123", PaymentOutcome.Declined, DeclineReason.ExpiredCard)]
    [InlineData("4000 0000 0000 0127", "123", PaymentOutcome.Declined, DeclineReason.IncorrectSecurityCode)]
    [InlineData("4000 0000 0000 0119", "123", PaymentOutcome.Declined, DeclineReason.ProcessorUnavailable)]
    [InlineData("4242 4242 4242 4242", "123", PaymentOutcome.Paid, null)]
    [InlineData("3782 822463 10005", "1234", PaymentOutcome.Paid, null)]
    public async Task A_new_card_is_charged_by_the_demo_processors_rules(string number, string code, PaymentOutcome outcome, DeclineReason? reason)
    {
        var (_, sub) = await _f.PastDueAsync(Ada);
        var card = await Ledger.AddCardAsync(Ada, new NewCard("Ada Admin", number, new CardExpiry(6, 2030), code));
        Assert.Equal((Ada.AdminId, null), (card.OwnerId, card.OwnerName));
        Assert.Equal(number.Replace(" ", "", StringComparison.Ordinal)[^4..], card.LastFour);

        var result = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, card.Id, null, "new-card"));

        Assert.Equal((outcome, reason), (result.Outcome, result.DeclineReason));
        Assert.Equal(outcome == PaymentOutcome.Paid ? 0m : 80m, (await Ledger.GetSubscriptionAsync(Ada, sub.Id))!.Balance.Amount);
    }

    [DatabaseFact]
    public async Task Tokenisation_refuses_a_bad_card_with_codes()
    {
        var before = await Ledger.GetPaymentMethodsAsync(Ada);
        var error = await Assert.ThrowsAsync<CardRejectedException>(() =>
            Ledger.AddCardAsync(Ada, new NewCard("Ada", "4242424242424241", new CardExpiry(10, 2026), "12")));
        Assert.Equal([CardValidationError.NumberFailsChecksum, CardValidationError.ExpiryInPast, CardValidationError.SecurityCodeWrongLength], error.Errors);
        Assert.DoesNotContain("4242424242424241", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Ledger.GetPaymentMethodsAsync(Ada));
    }

    [DatabaseFact]
    public async Task An_unusable_new_expiry_is_refused_and_nothing_changes()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var error = await Assert.ThrowsAsync<CardRejectedException>(() =>
            Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(10, 2026), "past")));
        Assert.Equal([CardValidationError.ExpiryInPast], error.Errors);
        Assert.Equal(0, await _f.CountAsync("SELECT COUNT(*) FROM payments"));
    }

    [DatabaseFact]
    public async Task Replaying_a_key_returns_the_first_result_without_charging_again()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var request = new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "same");

        var first = await Ledger.SettleAsync(Ada, request);
        _f.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await Ledger.SettleAsync(Ada, request);

        Assert.Equal(first, again);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            Ledger.SettleAsync(Ada, request with { NewExpiry = new CardExpiry(10, 2029) }));
    }

    [DatabaseFact]
    public async Task A_new_key_on_a_paid_subscription_has_nothing_to_pay()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "first"));

        var second = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, null, "second"));

        Assert.Equal(PaymentOutcome.NothingDue, second.Outcome);
        Assert.Equal(0m, second.Amount.Amount);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments WHERE outcome = 'Paid'"));
    }

    [DatabaseFact]
    public async Task A_hundred_concurrent_saves_of_one_review_card_charge_once()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var request = new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "review-card-1");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var saves = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Ledger.SettleAsync(Ada, request);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(saves);

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(PaymentOutcome.Paid, results[0].Outcome);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments"));
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments WHERE outcome = 'Paid'"));
    }

    [DatabaseFact]
    public async Task Different_keys_racing_on_one_subscription_charge_once()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), $"click-{i}")))));

        Assert.Single(results, r => r.Outcome == PaymentOutcome.Paid);
        Assert.Equal(19, results.Count(r => r.Outcome == PaymentOutcome.NothingDue));
    }

    [DatabaseFact]
    public async Task A_restart_keeps_the_ledger_and_does_not_seed_again()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var paid = await Ledger.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "k"));

        var restarted = _f.Open();

        Assert.Single(await restarted.GetPastDueSubscriptionsAsync(Ada));
        Assert.Equal(paid, await restarted.SettleAsync(Ada, new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "k")));
        Assert.Equal(3, await _f.CountAsync("SELECT COUNT(*) FROM subscriptions WHERE admin_id = @a", ("@a", Ada.AdminId)));
    }

    [DatabaseFact]
    public async Task The_alert_scan_lists_every_past_due_subscription_of_the_tenant()
    {
        await Ledger.GetPastDueSubscriptionsAsync(Ada);
        await Ledger.GetPastDueSubscriptionsAsync(Bob);
        await Ledger.GetPastDueSubscriptionsAsync(new BillingAccount("tenant-other", "x"));

        var due = await Ledger.ScanPastDueAsync("tenant-contoso");

        Assert.Equal(4, due.Count);
        Assert.All(due, s => Assert.Equal("tenant-contoso", s.TenantId));
        Assert.Equal("Microsoft 365 Business Premium", due[0].ProductName); // oldest first
    }

    [DatabaseFact]
    public async Task A_hundred_concurrent_saves_through_two_instances_charge_once()
    {
        var (sub, _) = await _f.PastDueAsync(Ada);
        var instances = new[] { Ledger, _f.NewLedger(_f.NewDatabase()) };
        var request = new SettleRequest(sub.Id, sub.PaymentMethodId, new CardExpiry(9, 2029), "review-card-two-instances");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var saves = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await instances[i % 2].SettleAsync(Ada, request);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(saves);

        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(PaymentOutcome.Paid, results[0].Outcome);
        Assert.Equal(1, await _f.CountAsync("SELECT COUNT(*) FROM payments WHERE outcome = 'Paid'"));
        Assert.Equal(0m, (await instances[1].GetSubscriptionAsync(Ada, sub.Id))!.Balance.Amount);
    }
}

public sealed class SqliteDemoBillingLedgerTests : DemoBillingLedgerTests
{
    protected override Task<LedgerFixture> CreateFixtureAsync() => Task.FromResult(new LedgerFixture());
}
