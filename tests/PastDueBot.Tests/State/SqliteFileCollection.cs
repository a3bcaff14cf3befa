namespace PastDueBot.Tests.State;

/// <summary>
/// Tests that look at SQLite below the storage API (WAL frames per save, another process's lock wait, the shared
/// connection's compiled statements). They run one at a time, so a figure such as a frame count or a wait is this
/// test's alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteFileCollection
{
    public const string Name = "SQLite files and connection";
}
