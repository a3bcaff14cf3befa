using PastDueBot.Domain.Billing;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Billing;

/// <summary>
/// How the ledger sits in its indexes. An admin's past-due list must not grow with the tenant. Many admins of one tenant is the normal case (and the
/// load test's); the list was planned on the tenant's due-date index and walked every admin's subscriptions. And new
/// rows' ids sort after older ones, so each commit appends to the last page of the key indexes instead of writing
/// random pages to the WAL.
/// </summary>
public sealed class LedgerQueryPlanTests : IAsyncLifetime
{
    // The shape of DemoBillingLedger.GetPastDueSubscriptionsAsync's query.
    private const string AdminPastDue =
        "SELECT id FROM subscriptions WHERE tenant_id = @t AND admin_id = @a " +
        "AND balance_minor > 0 AND past_due_since IS NOT NULL ORDER BY past_due_since, id";

    private readonly LedgerFixture _f = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task An_admins_past_due_list_is_a_range_of_that_admins_rows_in_the_account_index()
    {
        // 200 admins of one tenant, seeded as on first contact; then the plan SQLite chooses for one admin's list.
        for (var i = 0; i < 200; i++)
        {
            await _f.Ledger.GetPastDueSubscriptionsAsync(new BillingAccount("tenant-contoso", $"admin-{i:D3}"));
        }

        var plan = new List<string>();
        await using (var connection = await _f.Database.OpenAsync())
        {
            await using var explain = SqlCommands.Command(connection, null, "EXPLAIN QUERY PLAN " + AdminPastDue, ("@t", "tenant-contoso"), ("@a", "admin-007"));
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX ix_subscriptions_account (tenant_id=? AND admin_id=?", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("ix_subscriptions_tenant_due", StringComparison.Ordinal));

        // And the list itself is still the admin's two past-due subscriptions, oldest first.
        var list = await _f.Ledger.GetPastDueSubscriptionsAsync(new BillingAccount("tenant-contoso", "admin-007"));
        Assert.Equal(["Microsoft 365 Business Premium", "Microsoft Teams Phone Standard"], list.Select(s => s.ProductName));
    }

    [Fact]
    public async Task Ids_sort_by_creation_time_and_stay_letters_only()
    {
        var first = new BillingAccount("tenant-contoso", "admin-first");
        var second = new BillingAccount("tenant-contoso", "admin-second");
        await _f.Ledger.GetPastDueSubscriptionsAsync(first);
        _f.Time.Advance(TimeSpan.FromMilliseconds(1));
        await _f.Ledger.GetPastDueSubscriptionsAsync(second);

        var firstIds = await IdsAsync(first);
        var secondIds = await IdsAsync(second);
        Assert.Equal(7, firstIds.Count); // four cards, three subscriptions
        Assert.All(firstIds.Concat(secondIds), id => Assert.Matches("^(pm|sub)_[a-z]{24}$", id));
        // Within a prefix, everything created a millisecond later sorts after everything created before.
        foreach (var prefix in new[] { "pm_", "sub_" })
        {
            var latestFirst = firstIds.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Max(StringComparer.Ordinal)!;
            var earliestSecond = secondIds.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Min(StringComparer.Ordinal)!;
            Assert.True(string.CompareOrdinal(latestFirst, earliestSecond) < 0, $"{latestFirst} should sort before {earliestSecond}");
        }

        // Created in the same millisecond, ids still differ (the random part).
        Assert.Equal(firstIds.Count, firstIds.Distinct(StringComparer.Ordinal).Count());
    }

    private async Task<List<string>> IdsAsync(BillingAccount account)
    {
        var ids = new List<string>();
        await using var connection = await _f.Database.OpenAsync();
        await using var command = SqlCommands.Command(connection, null,
            "SELECT id FROM payment_methods WHERE tenant_id = @t AND admin_id = @a UNION ALL " +
            "SELECT id FROM subscriptions WHERE tenant_id = @t AND admin_id = @a",
            ("@t", account.TenantId), ("@a", account.AdminId));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }
}
