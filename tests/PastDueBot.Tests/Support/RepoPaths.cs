namespace PastDueBot.Tests.Support;

/// <summary>Finds the repository's files from the test binaries, wherever the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder holding PastDueBot.sln.</summary>
    public static string Root => RootLazy.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PastDueBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No PastDueBot.sln above {AppContext.BaseDirectory}.");
    }
}
