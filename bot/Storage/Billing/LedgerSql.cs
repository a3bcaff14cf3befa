namespace PastDueBot.Storage.Billing;

/// <summary>Money in the ledger: amounts are stored in minor units (cents) so no engine rounds a decimal.</summary>
internal static class LedgerSql
{
    public static long ToMinor(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    public static decimal FromMinor(long minor) => minor / 100m;
}
