namespace PastDueBot.Host.Directory;

/// <summary>Which directory answers "who is this and may they settle?" (section <c>Directory</c>).</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary><c>Demo</c> (default: the person chatting is a billing admin) or <c>Graph</c>.</summary>
    public string Provider { get; set; } = "Demo";

    /// <summary>How long a user or their roles are remembered; roles rarely change within a conversation.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    public DemoDirectoryOptions Demo { get; set; } = new();
}

/// <summary>
/// Lets the refusal branches be walked locally (section <c>Directory:Demo</c>). Besides these lists, object ids
/// that start with <see cref="DemoDirectory.NonAdminPrefix"/> or <see cref="DemoDirectory.UnknownPrefix"/> behave
/// the same, so load tests and the playground can pick a role by choosing an id.
/// </summary>
public sealed class DemoDirectoryOptions
{
    /// <summary>Object ids the directory knows but who hold no admin role.</summary>
    public List<string> NonAdmins { get; set; } = [];

    /// <summary>Object ids the directory does not know (Graph would answer 404).</summary>
    public List<string> UnknownUsers { get; set; } = [];
}

/// <summary>App-only Microsoft Graph access (section <c>Graph</c>); ids and secret default to the bot's own app registration.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>
    /// Skips MSAL's instance discovery at login.microsoftonline.com before the first token: for an Entra ID Microsoft does
    /// not list (a private cloud or Azure Stack, set with AZURE_AUTHORITY_HOST), where that lookup can only fail.
    /// </summary>
    public bool DisableInstanceDiscovery { get; set; }

    /// <summary>Retries of a throttled (429) or unavailable (503/504) call, honouring Retry-After. Kiota allows at most 10.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The most time all retries of one call may wait in total, so a throttled turn still answers in time.</summary>
    public TimeSpan RetryTimeLimit { get; set; } = TimeSpan.FromSeconds(10);
}
