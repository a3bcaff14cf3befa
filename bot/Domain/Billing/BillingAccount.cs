namespace PastDueBot.Domain.Billing;

/// <summary>
/// Whose billing is being looked at, and by whom: the tenant, and the directory object id of the admin acting.
/// The demo ledger keeps one set of balances per admin so that people trying the bot never share one.
/// </summary>
public sealed record BillingAccount(string TenantId, string AdminId);
