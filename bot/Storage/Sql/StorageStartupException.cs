namespace PastDueBot.Storage.Sql;

/// <summary>
/// The configured database cannot be used. The message says which setting to fix and what the server answered;
/// <see cref="ToString"/> is that message alone, so start-up failure prints one readable line, not a stack trace.
/// </summary>
public sealed class StorageStartupException(string message) : InvalidOperationException(message)
{
    public override string ToString() => $"{GetType().FullName}: {Message}";
}
