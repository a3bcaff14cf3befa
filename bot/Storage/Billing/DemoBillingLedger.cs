using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage.Billing;

/// <summary>
/// The embedded billing system: a SQL ledger seeded per person on first contact, with the demo processor's
/// provokable declines (see <see cref="DemoProcessor"/>). Keeps only masked cards and opaque tokens.
/// </summary>
public sealed partial class DemoBillingLedger : IBillingProvider
{
    private readonly ISqlDatabase _database;
    private readonly TimeProvider _time;
    private readonly DemoBillingOptions _options;
    private readonly ILogger<DemoBillingLedger> _logger;
    private readonly Lazy<Task> _migration;
    // Accounts known to be seeded, so a call skips the claim statement. Bounded: a bot that runs for months meets new
    // admins all the while, and one that was forgotten costs a single statement that finds its claim.
    private readonly RecentSet<BillingAccount> _seeded = new(4096);

    public DemoBillingLedger(ISqlDatabase database, TimeProvider time, IOptions<DemoBillingOptions> options, ILogger<DemoBillingLedger> logger)
    {
        _database = database;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _migration = new Lazy<Task>(() => _database.MigrateAsync(DemoBillingSchema.Component, DemoBillingSchema.Steps));
    }

    private DateOnly Today => SettlePolicy.Today(_time);

    public async Task<IReadOnlyList<Subscription>> GetPastDueSubscriptionsAsync(BillingAccount account, CancellationToken cancellationToken = default)
    {
        await EnsureSeededAsync(account, cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSubscriptionsAsync(connection, null,
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE tenant_id = @t AND admin_id = @a " +
            "AND balance_minor > 0 AND past_due_since IS NOT NULL ORDER BY past_due_since, id",
            cancellationToken, ("@t", account.TenantId), ("@a", account.AdminId)).ConfigureAwait(false);
    }

    public async Task<Subscription?> GetSubscriptionAsync(BillingAccount account, string subscriptionId, CancellationToken cancellationToken = default)
    {
        await EnsureSeededAsync(account, cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindSubscriptionAsync(connection, null, account, subscriptionId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PaymentMethod>> GetPaymentMethodsAsync(BillingAccount account, CancellationToken cancellationToken = default)
    {
        await EnsureSeededAsync(account, cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var cards = new List<PaymentMethod>();
        await using var command = SqlCommands.Command(connection, null,
            $"SELECT {CardColumns} FROM payment_methods WHERE tenant_id = @t AND admin_id = @a ORDER BY created_at, id",
            ("@t", account.TenantId), ("@a", account.AdminId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cards.Add(ReadCard(reader).Card);
        }

        return cards;
    }

    public async Task<PaymentMethod> AddCardAsync(BillingAccount account, NewCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var validation = CardValidation.Validate(card, Today);
        if (!validation.IsValid)
        {
            throw new CardRejectedException(validation.Errors);
        }

        await EnsureSeededAsync(account, cancellationToken).ConfigureAwait(false);

        // Tokenisation: from here on only the masked card, the token and the test wiring exist.
        var number = CardNumber.Parse(card.Number).Value;
        var method = new PaymentMethod(DemoProcessor.NewId("pm", _time.GetUtcNow()), number.Brand, number.LastFour, card.Expiry, card.HolderName.Trim(), account.AdminId, null);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await InsertCardAsync(connection, null, account, method, DemoProcessor.TestDeclineFor(number.Digits), cancellationToken).ConfigureAwait(false);
        LogCardAdded(method.Brand, method.LastFour, method.Id);
        return method;
    }

    public async Task<IReadOnlyList<Subscription>> ScanPastDueAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await _migration.Value.ConfigureAwait(false);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSubscriptionsAsync(connection, null,
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE tenant_id = @t " +
            "AND balance_minor > 0 AND past_due_since IS NOT NULL ORDER BY past_due_since, id",
            cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <summary>
    /// One transaction whose first statement is a write (the claim of the idempotency key), so SQLite takes the
    /// write lock up front and PostgreSQL makes a concurrent claim of the same key wait for this one to commit.
    /// Then the subscription row is touched, which serialises different keys on the same subscription.
    /// </summary>
    public async Task<PaymentResult> SettleAsync(BillingAccount account, SettleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        await EnsureSeededAsync(account, cancellationToken).ConfigureAwait(false);

        // A slow processor is felt by the caller; it is simulated before the transaction so it holds no lock.
        if (_options.ProcessorDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.ProcessorDelay, _time, cancellationToken).ConfigureAwait(false);
        }

        var fingerprint = Fingerprint(request);
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var paymentId = DemoProcessor.NewId("pay", now);
        var claimed = await SqlCommands.ExecuteAsync(connection, transaction,
            "INSERT INTO payments (id, tenant_id, admin_id, idempotency_key, request, subscription_id, created_at) " +
            "VALUES (@id, @t, @a, @k, @r, @s, @now) ON CONFLICT (tenant_id, admin_id, idempotency_key) DO NOTHING",
            cancellationToken, ("@id", paymentId), ("@t", account.TenantId), ("@a", account.AdminId), ("@k", request.IdempotencyKey),
            ("@r", fingerprint), ("@s", request.SubscriptionId), ("@now", SqlCommands.ToUnixMs(now))).ConfigureAwait(false);
        if (claimed == 0)
        {
            var replay = await ReadStoredResultAsync(connection, transaction, account, request, fingerprint, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogReplayed(request.SubscriptionId, replay.Outcome);
            return replay;
        }

        var result = await ChargeAsync(connection, transaction, account, request, now, cancellationToken).ConfigureAwait(false);
        await SqlCommands.ExecuteAsync(connection, transaction,
            "UPDATE payments SET outcome = @o, amount_minor = @m, currency = @c, decline_reason = @d, result_json = @j WHERE id = @id",
            cancellationToken, ("@o", result.Outcome.ToString()), ("@m", LedgerSql.ToMinor(result.Amount.Amount)), ("@c", result.Amount.Currency),
            ("@d", result.DeclineReason?.ToString()), ("@j", JsonSerializer.Serialize(result, LedgerJsonContext.Default.PaymentResult)), ("@id", paymentId)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogSettled(request.SubscriptionId, result.Outcome, result.DeclineReason, result.Card.LastFour);
        return result;
    }

    private async Task<PaymentResult> ChargeAsync(DbConnection connection, DbTransaction transaction, BillingAccount account, SettleRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var touched = await SqlCommands.ExecuteAsync(connection, transaction,
            "UPDATE subscriptions SET version = version + 1 WHERE id = @s AND tenant_id = @t AND admin_id = @a",
            cancellationToken, ("@s", request.SubscriptionId), ("@t", account.TenantId), ("@a", account.AdminId)).ConfigureAwait(false);
        if (touched == 0)
        {
            throw new KeyNotFoundException($"Subscription {request.SubscriptionId} is not in this billing account.");
        }

        var subscription = (await FindSubscriptionAsync(connection, transaction, account, request.SubscriptionId, cancellationToken).ConfigureAwait(false))!;
        var (card, testDecline) = await FindCardAsync(connection, transaction, account, request.PaymentMethodId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Payment method {request.PaymentMethodId} is not in this billing account.");

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        switch (SettlePolicy.CheckExpiryEdit(card, request.NewExpiry, account.AdminId, today))
        {
            case SettleRefusal.NotCardOwner:
                throw new NotCardOwnerException(card.Id);
            case SettleRefusal.ExpiryNotUsable:
                throw new CardRejectedException([request.NewExpiry!.Value.CheckUsable(today)!.Value]);
        }

        if (request.NewExpiry is { } expiry && expiry != card.Expiry)
        {
            await SqlCommands.ExecuteAsync(connection, transaction,
                "UPDATE payment_methods SET exp_month = @m, exp_year = @y WHERE id = @id",
                cancellationToken, ("@m", expiry.Month), ("@y", expiry.Year), ("@id", card.Id)).ConfigureAwait(false);
            card = card with { Expiry = expiry };
        }

        // Save makes the chosen card the subscription's card, whether or not the payment then goes through.
        await SqlCommands.ExecuteAsync(connection, transaction,
            "UPDATE subscriptions SET payment_method_id = @p WHERE id = @s",
            cancellationToken, ("@p", card.Id), ("@s", subscription.Id)).ConfigureAwait(false);

        if (subscription.Balance.Amount <= 0)
        {
            return new PaymentResult(PaymentOutcome.NothingDue, subscription.Id, subscription.Balance with { Amount = 0m }, card, null, null, now);
        }

        var decline = DemoProcessor.Charge(card.Expiry, testDecline, today);
        if (decline is { } reason)
        {
            await SqlCommands.ExecuteAsync(connection, transaction,
                "UPDATE subscriptions SET last_decline_reason = @d WHERE id = @s",
                cancellationToken, ("@d", reason.ToString()), ("@s", subscription.Id)).ConfigureAwait(false);
            return new PaymentResult(PaymentOutcome.Declined, subscription.Id, subscription.Balance, card, null, reason, now);
        }

        await SqlCommands.ExecuteAsync(connection, transaction,
            "UPDATE subscriptions SET balance_minor = 0, past_due_since = NULL, last_decline_reason = NULL WHERE id = @s",
            cancellationToken, ("@s", subscription.Id)).ConfigureAwait(false);
        return new PaymentResult(PaymentOutcome.Paid, subscription.Id, subscription.Balance, card, DemoProcessor.NewId("ch", now), null, now);
    }

    private static async Task<PaymentResult> ReadStoredResultAsync(DbConnection connection, DbTransaction transaction, BillingAccount account, SettleRequest request, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Command(connection, transaction,
            "SELECT request, result_json FROM payments WHERE tenant_id = @t AND admin_id = @a AND idempotency_key = @k",
            ("@t", account.TenantId), ("@a", account.AdminId), ("@k", request.IdempotencyKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The idempotency claim conflicted but no payment row was found.");
        }

        if (!string.Equals(reader.GetString(0), fingerprint, StringComparison.Ordinal))
        {
            throw new IdempotencyKeyReusedException(request.IdempotencyKey);
        }

        // The claim and its result commit together, so a visible claim always carries its result.
        var json = reader.IsDBNull(1) ? throw new InvalidOperationException("A committed payment has no result.") : reader.GetString(1);
        return JsonSerializer.Deserialize(json, LedgerJsonContext.Default.PaymentResult)!;
    }

    private static string Fingerprint(SettleRequest request) =>
        string.Join('|', request.SubscriptionId, request.PaymentMethodId, request.NewExpiry?.ToString() ?? "-");
}
