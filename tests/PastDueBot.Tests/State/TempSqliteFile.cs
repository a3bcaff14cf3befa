using Microsoft.Data.Sqlite;

namespace PastDueBot.Tests.State;

/// <summary>A real SQLite file in a fresh temp folder (not yet created), deleted with its WAL files afterwards.</summary>
public sealed class TempSqliteFile : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pastduebot-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The folder that holds everything this test writes (use it as a content root).</summary>
    public string Folder => _folder;

    public string Path => System.IO.Path.Combine(_folder, "data", "state.db");

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
