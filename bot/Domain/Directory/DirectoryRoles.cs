namespace PastDueBot.Domain.Directory;

/// <summary>Entra ID built-in role template ids that matter for billing.</summary>
public static class DirectoryRoles
{
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string BillingAdministrator = "b0f54661-2d74-4c50-afa3-1ec803f12efe";

    /// <summary>The roles allowed to settle a balance.</summary>
    public static IReadOnlySet<string> CanSettle { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        GlobalAdministrator,
        BillingAdministrator,
    };
}
