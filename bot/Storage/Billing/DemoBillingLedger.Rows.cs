using PastDueBot.Storage.Sql;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Demo;

namespace PastDueBot.Storage.Billing;

/// <summary>Seeding, row mapping and logging of the ledger.</summary>
public sealed partial class DemoBillingLedger
{
    private const string SubscriptionColumns =
        "id, tenant_id, product_name, balance_minor, currency, past_due_since, last_decline_reason, payment_method_id, next_lifecycle_at";

    private const string CardColumns =
        "id, brand, last_four, exp_month, exp_year, holder, owner_id, owner_name, test_decline";

    private static readonly SqlColumns SubscriptionColumn = new(SubscriptionColumns);

    private static readonly SqlColumns CardColumn = new(CardColumns);

    /// <summary>
    /// Seeds the account once. The claim row in <c>billing_accounts</c> is the transaction's first write: a second
    /// first turn at the same moment waits for it and then finds the account taken, so nothing is seeded twice.
    /// </summary>
    private async Task EnsureSeededAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(account.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(account.AdminId);
        await _migration.Value.ConfigureAwait(false);
        if (_seeded.Contains(account))
        {
            return;
        }

        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await SqlCommands.ExecuteAsync(connection, transaction,
            "INSERT INTO billing_accounts (tenant_id, admin_id, seeded_at) VALUES (@t, @a, @now) ON CONFLICT (tenant_id, admin_id) DO NOTHING",
            cancellationToken, ("@t", account.TenantId), ("@a", account.AdminId), ("@now", SqlCommands.ToUnixMs(now))).ConfigureAwait(false);
        if (claimed == 1)
        {
            await SeedAsync(connection, transaction, account, now, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _seeded.Add(account);
        if (claimed == 1)
        {
            LogSeeded();
        }
    }

    private async Task SeedAsync(DbConnection connection, DbTransaction transaction, BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var cardIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = 0;
        foreach (var seed in DemoSeed.Cards(today))
        {
            var (ownerId, ownerName) = seed.OwnedByAdmin ? (account.AdminId, (string?)null) : (DemoPeople.MeganBowenId, DemoPeople.MeganBowenName);
            var card = new PaymentMethod(DemoProcessor.NewId("pm", now), seed.Brand, seed.LastFour, seed.Expiry, seed.Holder, ownerId, ownerName);
            // Seeded cards keep their listing order: created_at steps by a millisecond.
            await InsertCardAsync(connection, transaction, account, card, seed.TestDecline, cancellationToken, now.AddMilliseconds(order++ - 100)).ConfigureAwait(false);
            cardIds[seed.Key] = card.Id;
        }

        foreach (var seed in DemoSeed.Subscriptions)
        {
            DateTimeOffset? since = seed.Balance > 0 ? now.AddDays(-seed.DaysPastDue) : null;
            var next = since is { } s ? s + DemoSeed.GracePeriod : now.AddDays(20);
            await SqlCommands.ExecuteAsync(connection, transaction,
                "INSERT INTO subscriptions (id, tenant_id, admin_id, product_name, balance_minor, currency, past_due_since, last_decline_reason, payment_method_id, next_lifecycle_at, version) " +
                "VALUES (@id, @t, @a, @n, @b, @c, @since, @d, @p, @next, 0)",
                cancellationToken, ("@id", DemoProcessor.NewId("sub", now)), ("@t", account.TenantId), ("@a", account.AdminId), ("@n", seed.ProductName),
                ("@b", LedgerSql.ToMinor(seed.Balance)), ("@c", _options.Currency), ("@since", since is { } v ? SqlCommands.ToUnixMs(v) : null),
                ("@d", seed.LastDecline?.ToString()), ("@p", cardIds[seed.CardKey]), ("@next", SqlCommands.ToUnixMs(next))).ConfigureAwait(false);
        }
    }

    private async Task InsertCardAsync(DbConnection connection, DbTransaction? transaction, BillingAccount account, PaymentMethod card, DeclineReason? testDecline, CancellationToken cancellationToken, DateTimeOffset? createdAt = null)
    {
        await SqlCommands.ExecuteAsync(connection, transaction,
            "INSERT INTO payment_methods (id, tenant_id, admin_id, brand, last_four, exp_month, exp_year, holder, owner_id, owner_name, token, test_decline, created_at) " +
            "VALUES (@id, @t, @a, @b, @l, @m, @y, @h, @o, @on, @tok, @td, @at)",
            cancellationToken, ("@id", card.Id), ("@t", account.TenantId), ("@a", account.AdminId), ("@b", card.Brand.ToString()),
            ("@l", card.LastFour), ("@m", card.Expiry.Month), ("@y", card.Expiry.Year), ("@h", card.HolderName), ("@o", card.OwnerId),
            ("@on", card.OwnerName), ("@tok", DemoProcessor.NewId("tok", _time.GetUtcNow())), ("@td", testDecline?.ToString()),
            ("@at", SqlCommands.ToUnixMs(createdAt ?? _time.GetUtcNow()))).ConfigureAwait(false);
    }

    private static async Task<Subscription?> FindSubscriptionAsync(DbConnection connection, DbTransaction? transaction, BillingAccount account, string subscriptionId, CancellationToken cancellationToken)
    {
        var found = await ReadSubscriptionsAsync(connection, transaction,
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE id = @s AND tenant_id = @t AND admin_id = @a",
            cancellationToken, ("@s", subscriptionId), ("@t", account.TenantId), ("@a", account.AdminId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<Subscription>> ReadSubscriptionsAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var list = new List<Subscription>();
        await using var command = SqlCommands.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var c = SubscriptionColumn;
            var since = reader.GetNullableInteger(c["past_due_since"]);
            var next = reader.GetNullableInteger(c["next_lifecycle_at"]);
            var decline = reader.GetNullableString(c["last_decline_reason"]);
            list.Add(new Subscription(
                reader.GetString(c["id"]),
                reader.GetString(c["tenant_id"]),
                reader.GetString(c["product_name"]),
                new Money(LedgerSql.FromMinor(reader.GetInteger(c["balance_minor"])), reader.GetString(c["currency"])),
                since is { } s ? SqlCommands.FromUnixMs(s) : null,
                decline is null ? null : Enum.Parse<DeclineReason>(decline),
                reader.GetString(c["payment_method_id"]),
                next is { } n ? SqlCommands.FromUnixMs(n) : null));
        }

        return list;
    }

    private static async Task<(PaymentMethod Card, DeclineReason? TestDecline)?> FindCardAsync(DbConnection connection, DbTransaction? transaction, BillingAccount account, string paymentMethodId, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Command(connection, transaction,
            $"SELECT {CardColumns} FROM payment_methods WHERE id = @id AND tenant_id = @t AND admin_id = @a",
            ("@id", paymentMethodId), ("@t", account.TenantId), ("@a", account.AdminId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCard(reader) : null;
    }

    private static (PaymentMethod Card, DeclineReason? TestDecline) ReadCard(DbDataReader reader)
    {
        var c = CardColumn;
        var testDecline = reader.GetNullableString(c["test_decline"]);
        var card = new PaymentMethod(
            reader.GetString(c["id"]),
            Enum.Parse<CardBrand>(reader.GetString(c["brand"])),
            reader.GetString(c["last_four"]),
            new CardExpiry((int)reader.GetInteger(c["exp_month"]), (int)reader.GetInteger(c["exp_year"])),
            reader.GetString(c["holder"]),
            reader.GetString(c["owner_id"]),
            reader.GetNullableString(c["owner_name"]));
        return (card, testDecline is null ? null : Enum.Parse<DeclineReason>(testDecline));
    }

    // Seeding and each charge are the demo processor's own bookkeeping, at Debug: a real billing system keeps them in
    // its logs, and the bot logs every settle outcome itself (PaymentRunner). Rarer events stay at Information.
    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Seeded the demo billing ledger for a new account")]
    private partial void LogSeeded();

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Tokenised a {Brand} card ending {LastFour} as {PaymentMethodId}")]
    private partial void LogCardAdded(CardBrand brand, string lastFour, string paymentMethodId);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Settle of {SubscriptionId}: {Outcome} {DeclineReason} with the card ending {LastFour}")]
    private partial void LogSettled(string subscriptionId, PaymentOutcome outcome, DeclineReason? declineReason, string lastFour);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Settle of {SubscriptionId} replayed from its idempotency key: {Outcome}")]
    private partial void LogReplayed(string subscriptionId, PaymentOutcome outcome);
}
