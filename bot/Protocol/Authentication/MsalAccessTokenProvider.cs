using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// The client-credentials token for the connector from Entra ID via MSAL: authority <see cref="BotFrameworkOptions.LoginUrl"/>
/// (the tenant for SingleTenant, botframework.com for MultiTenant), scope <c>{OAuthScope}/.default</c>.
/// One confidential client per process, so MSAL's in-memory app cache serves the token until shortly before expiry.
/// </summary>
public sealed class MsalAccessTokenProvider : MsalTokenProviderBase
{
    // Entra hosts MSAL knows; any other authority (a sovereign proxy, a test fake) is used as configured.
    private static readonly string[] KnownAuthorityHosts =
        ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.microsoft.com", "login.windows.net"];

    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;

    public MsalAccessTokenProvider(IOptions<BotFrameworkOptions> options, IMsalHttpClientFactory httpClientFactory, ILogger<MsalAccessTokenProvider> logger)
        : base(logger)
    {
        var settings = options.Value;
        if (settings.IsAuthenticationDisabled || settings.AppType is not (BotAppType.SingleTenant or BotAppType.MultiTenant))
        {
            throw new InvalidOperationException($"Outbound tokens need MicrosoftAppId, MicrosoftAppPassword and a SingleTenant or MultiTenant app type (got '{settings.MicrosoftAppType}').");
        }

        _scopes = [$"{settings.OAuthScope.TrimEnd('/')}/.default"];
        var authority = new Uri(settings.LoginUrl);
        var knownHost = KnownAuthorityHosts.Contains(authority.Host, StringComparer.OrdinalIgnoreCase);
        _app = ConfidentialClientApplicationBuilder.Create(settings.MicrosoftAppId)
            .WithClientSecret(settings.MicrosoftAppPassword)
            .WithAuthority(authority.ToString(), validateAuthority: knownHost)
            // Instance discovery asks login.microsoftonline.com about the host: only meaningful for Entra's own hosts.
            .WithInstanceDiscovery(knownHost)
            .WithHttpClientFactory(httpClientFactory)
            .WithLogging(LogMsal, BridgedLogLevel, enablePiiLogging: false, enableDefaultPlatformLogging: false)
            .Build();
    }

    protected override Task<AuthenticationResult> AcquireAsync() =>
        _app.AcquireTokenForClient(_scopes).ExecuteAsync();

    // MSAL's messages carry the AADSTS code and description, never the secret; the code is what the operator needs.
    protected override string DescribeFailure(MsalException exception) =>
        $"The bot's outbound token could not be obtained: {exception.ErrorCode}.";
}
