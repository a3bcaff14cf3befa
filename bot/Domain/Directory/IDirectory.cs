namespace PastDueBot.Domain.Directory;

/// <summary>Who someone is and which admin roles they hold (Microsoft Graph in production).</summary>
public interface IDirectory
{
    /// <summary>The user, or null when the directory does not know the id.</summary>
    Task<DirectoryUser?> FindUserAsync(string objectId, CancellationToken cancellationToken = default);

    /// <summary>Role template ids directly assigned to the user at directory scope.</summary>
    Task<IReadOnlySet<string>> GetRoleTemplateIdsAsync(string objectId, CancellationToken cancellationToken = default);

    /// <summary>People holding a role, to tell a non-admin whom to ask.</summary>
    Task<IReadOnlyList<DirectoryUser>> GetUsersInRoleAsync(string roleTemplateId, CancellationToken cancellationToken = default);
}
