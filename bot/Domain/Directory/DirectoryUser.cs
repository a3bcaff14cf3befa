namespace PastDueBot.Domain.Directory;

/// <summary>A person in the organisation's directory (Microsoft Entra ID).</summary>
public sealed record DirectoryUser(string Id, string DisplayName, string? UserPrincipalName, string? Mail);
