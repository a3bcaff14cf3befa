namespace PastDueBot.Protocol.Dialogs;

/// <summary>A stored dialog instance that the running code can no longer continue safely.</summary>
/// <param name="DialogId">The stored instance's dialog id.</param>
/// <param name="StoredVersion">The version recorded when the instance began (null if none was recorded).</param>
/// <param name="CurrentVersion">The code's version of that dialog, or null when no dialog with that id exists any more.</param>
public sealed record DialogVersionMismatch(string DialogId, string? StoredVersion, string? CurrentVersion);
