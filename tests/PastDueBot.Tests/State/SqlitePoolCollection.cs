namespace PastDueBot.Tests.State;

/// <summary>
/// Tests that assert which native SQLite connection the pool hands back: other tests clear every pool in the
/// process when they delete their files (<see cref="TempSqliteFile"/>), so these run on their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqlitePoolCollection
{
    public const string Name = "SQLite connection pool";
}
