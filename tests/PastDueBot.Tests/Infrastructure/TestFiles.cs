namespace PastDueBot.Tests.Infrastructure;

/// <summary>File helpers for checks on what the bot left on disk.</summary>
public static class TestFiles
{
    /// <summary>Every byte of every file below <paramref name="directory"/> as Latin-1 text, read while the bot may still hold them open.</summary>
    public static string ReadAllText(string directory)
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(System.Text.Encoding.Latin1.GetString(memory.ToArray()));
        }
        return text.ToString();
    }

    public static void TryDeleteDirectory(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // a file still held by a pooled connection: the OS cleans its temp folder
        catch (UnauthorizedAccessException) { }
    }
}
