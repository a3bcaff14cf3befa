using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PastDueBot.Storage.Sql;

/// <summary>
/// What a connection does when another connection holds the write lock: wait up to 30 s (as
/// <c>PRAGMA busy_timeout=30000</c> would), polling about every millisecond. SQLite's own busy handler backs off to
/// 100 ms a try, and under load turns were measured sleeping those 100 ms behind a writer whose transaction took a
/// few milliseconds. SQLitePCLRaw does not bind <c>sqlite3_busy_handler</c>, so it is called directly in the
/// same native library the provider loads.
/// </summary>
internal static unsafe partial class SqliteBusyWait
{
    private const int MaxPolls = 30_000;

    public static void Install(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var result = sqlite3_busy_handler(handle.DangerousGetHandle(), &WaitForLock, IntPtr.Zero);
        if (result != 0) throw new InvalidOperationException($"sqlite3_busy_handler failed with SQLite error {result}.");
    }

    [UnmanagedCallersOnly]
    private static int WaitForLock(IntPtr state, int polls)
    {
        if (polls >= MaxPolls) return 0; // give up: the statement fails with SQLITE_BUSY
        Thread.Sleep(polls < 2 ? 0 : 1);
        return 1;
    }

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_busy_handler(IntPtr db, delegate* unmanaged<IntPtr, int, int> callback, IntPtr state);
}
