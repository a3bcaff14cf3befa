using Microsoft.Extensions.Options;
using PastDueBot.Domain.Demo;
using PastDueBot.Domain.Directory;

namespace PastDueBot.Host.Directory;

/// <summary>
/// The directory for local use: whoever chats is a Billing Administrator of the demo tenant, so the settle flow
/// can be walked without Entra ID. The refusal branches are reachable on purpose:
/// <list type="bullet">
/// <item>ids listed in <c>Directory:Demo:NonAdmins</c>, or starting with <see cref="NonAdminPrefix"/> ("nonadmin-42"),
///   are known people without an admin role;</item>
/// <item>ids listed in <c>Directory:Demo:UnknownUsers</c>, or starting with <see cref="UnknownPrefix"/>, are unknown
///   (as Graph's 404).</item>
/// </list>
/// Megan Bowen (billing admin, owner of a demo card) and Nestor Wilke (global admin) are the people a non-admin
/// is told to ask.
/// </summary>
public sealed class DemoDirectory(IOptions<DirectoryOptions> options) : IDirectory
{
    public const string NonAdminPrefix = "nonadmin";

    public const string UnknownPrefix = "unknown";

    private static readonly DirectoryUser Megan = new(DemoPeople.MeganBowenId, DemoPeople.MeganBowenName, DemoPeople.MeganBowenUpn, DemoPeople.MeganBowenUpn);

    private static readonly DirectoryUser Nestor = new(DemoPeople.NestorWilkeId, DemoPeople.NestorWilkeName, DemoPeople.NestorWilkeUpn, DemoPeople.NestorWilkeUpn);

    private readonly HashSet<string> _nonAdmins = new(options.Value.Demo.NonAdmins, StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _unknown = new(options.Value.Demo.UnknownUsers, StringComparer.OrdinalIgnoreCase);

    public Task<DirectoryUser?> FindUserAsync(string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        DirectoryUser? user = IsUnknown(objectId) ? null
            : Known(objectId) ?? new DirectoryUser(objectId, IsNonAdmin(objectId) ? "Demo User" : "Demo Billing Admin", null, null);
        return Task.FromResult(user);
    }

    public Task<IReadOnlySet<string>> GetRoleTemplateIdsAsync(string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (string.Equals(objectId, DemoPeople.NestorWilkeId, StringComparison.OrdinalIgnoreCase))
        {
            roles.Add(DirectoryRoles.GlobalAdministrator);
        }
        else if (!IsUnknown(objectId) && !IsNonAdmin(objectId))
        {
            roles.Add(DirectoryRoles.BillingAdministrator);
        }

        return Task.FromResult<IReadOnlySet<string>>(roles);
    }

    public Task<IReadOnlyList<DirectoryUser>> GetUsersInRoleAsync(string roleTemplateId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleTemplateId);
        IReadOnlyList<DirectoryUser> users = roleTemplateId.ToLowerInvariant() switch
        {
            DirectoryRoles.BillingAdministrator => [Megan],
            DirectoryRoles.GlobalAdministrator => [Nestor],
            _ => [],
        };
        return Task.FromResult(users);
    }

    private static DirectoryUser? Known(string objectId) =>
        string.Equals(objectId, Megan.Id, StringComparison.OrdinalIgnoreCase) ? Megan
        : string.Equals(objectId, Nestor.Id, StringComparison.OrdinalIgnoreCase) ? Nestor
        : null;

    private bool IsUnknown(string objectId) =>
        _unknown.Contains(objectId) || objectId.StartsWith(UnknownPrefix, StringComparison.OrdinalIgnoreCase);

    private bool IsNonAdmin(string objectId) =>
        _nonAdmins.Contains(objectId) || objectId.StartsWith(NonAdminPrefix, StringComparison.OrdinalIgnoreCase);
}
