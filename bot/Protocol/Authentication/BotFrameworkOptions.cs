namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// The Azure Bot settings, read from the configuration root under the names the SDK's
/// ConfigurationBotFrameworkAuthentication uses, so an existing bot's settings work unchanged.
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string PublicOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string PublicTokenIssuer = "https://api.botframework.com";
    public const string PublicOAuthScope = "https://api.botframework.com";
    public const string LoginAuthority = "https://login.microsoftonline.com";
    public const string MultiTenantLoginTenant = "botframework.com";

    /// <summary>
    /// The bot's Entra app id; for UserAssignedMSI the managed identity's client id. Empty: anonymous mode (local tools
    /// only; a token that is present is still validated).
    /// </summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>The client secret (none for UserAssignedMSI). Comes from the environment or user secrets, never from a file in the repo.</summary>
    public string? MicrosoftAppPassword { get; set; }

    /// <summary>SingleTenant (PastDueBot's default: new multi-tenant registrations are deprecated), MultiTenant or UserAssignedMSI.</summary>
    public string? MicrosoftAppType { get; set; }

    /// <summary>The bot's home tenant; required for SingleTenant and UserAssignedMSI.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>Where the channel's signing keys are published (inbound tokens).</summary>
    public string? ToBotFromChannelOpenIdMetadataUrl { get; set; }

    /// <summary>The issuer of inbound channel tokens.</summary>
    public string? ToBotFromChannelTokenIssuer { get; set; }

    /// <summary>The authority the bot gets its outbound token from, e.g. https://login.microsoftonline.com/{tenant}. Not used by UserAssignedMSI.</summary>
    public string? ToChannelFromBotLoginUrl { get; set; }

    /// <summary>The scope of the outbound token (without /.default); the managed identity's resource for UserAssignedMSI.</summary>
    public string? ToChannelFromBotOAuthScope { get; set; }

    public bool IsAuthenticationDisabled => string.IsNullOrWhiteSpace(MicrosoftAppId);

    public string OpenIdMetadataUrl => string.IsNullOrWhiteSpace(ToBotFromChannelOpenIdMetadataUrl) ? PublicOpenIdMetadataUrl : ToBotFromChannelOpenIdMetadataUrl;

    public string TokenIssuer => string.IsNullOrWhiteSpace(ToBotFromChannelTokenIssuer) ? PublicTokenIssuer : ToBotFromChannelTokenIssuer;

    public string OAuthScope => string.IsNullOrWhiteSpace(ToChannelFromBotOAuthScope) ? PublicOAuthScope : ToChannelFromBotOAuthScope;

    public BotAppType AppType => MicrosoftAppType?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SINGLETENANT" => BotAppType.SingleTenant,
        "MULTITENANT" => BotAppType.MultiTenant,
        "USERASSIGNEDMSI" => BotAppType.UserAssignedMsi,
        _ => BotAppType.Invalid,
    };

    /// <summary>The token authority: the configured login URL, else the tenant's (SingleTenant) or botframework.com's (MultiTenant).</summary>
    public string LoginUrl => !string.IsNullOrWhiteSpace(ToChannelFromBotLoginUrl)
        ? ToChannelFromBotLoginUrl
        : $"{LoginAuthority}/{(AppType == BotAppType.MultiTenant ? MultiTenantLoginTenant : MicrosoftAppTenantId)}";
}

public enum BotAppType
{
    Invalid,
    SingleTenant,
    MultiTenant,
    UserAssignedMsi,
}
