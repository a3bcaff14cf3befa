using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using MsalLogLevel = Microsoft.Identity.Client.LogLevel;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// The client-credentials token for the connector from Entra ID via MSAL: authority <see cref="BotFrameworkOptions.LoginUrl"/>
/// (the tenant for SingleTenant, botframework.com for MultiTenant), scope <c>{OAuthScope}/.default</c>.
/// One confidential client per process, so MSAL's in-memory app cache serves the token until shortly before expiry.
/// </summary>
public sealed partial class MsalAccessTokenProvider : IAccessTokenProvider
{
    // Entra hosts MSAL knows; any other authority (a sovereign proxy, a test fake) is used as configured.
    private static readonly string[] KnownAuthorityHosts =
        ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.microsoft.com", "login.windows.net"];

    private static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(10);

    private readonly IConfidentialClientApplication _app;
    private volatile IssuedToken? _last;
    private readonly string[] _scopes;
    private readonly ILogger _logger;

    public MsalAccessTokenProvider(IOptions<BotFrameworkOptions> options, IMsalHttpClientFactory httpClientFactory, ILogger<MsalAccessTokenProvider> logger)
    {
        var settings = options.Value;
        if (settings.IsAuthenticationDisabled || settings.AppType is not (BotAppType.SingleTenant or BotAppType.MultiTenant))
        {
            throw new InvalidOperationException($"Outbound tokens need MicrosoftAppId, MicrosoftAppPassword and a SingleTenant or MultiTenant app type (got '{settings.MicrosoftAppType}').");
        }

        _logger = logger;
        _scopes = [$"{settings.OAuthScope.TrimEnd('/')}/.default"];
        var authority = new Uri(settings.LoginUrl);
        var knownHost = KnownAuthorityHosts.Contains(authority.Host, StringComparer.OrdinalIgnoreCase);
        _app = ConfidentialClientApplicationBuilder.Create(settings.MicrosoftAppId)
            .WithClientSecret(settings.MicrosoftAppPassword)
            .WithAuthority(authority.ToString(), validateAuthority: knownHost)
            // Instance discovery asks login.microsoftonline.com about the host: only meaningful for Entra's own hosts.
            .WithInstanceDiscovery(knownHost)
            .WithHttpClientFactory(httpClientFactory)
            .WithLogging(LogMsal, MsalLogLevel.Warning, enablePiiLogging: false, enableDefaultPlatformLogging: false)
            .Build();
    }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        // MSAL's cache lookup (with its per-call telemetry) costs more than the reply it authorises; while the last
        // token is far from expiry, hand it out directly. Near expiry MSAL decides (it refreshes 5 minutes early).
        if (_last is { } last && last.ExpiresOn - DateTimeOffset.UtcNow > ReuseMargin) return last.Token;
        try
        {
            var result = await _app.AcquireTokenForClient(_scopes).ExecuteAsync(cancellationToken);
            TokenObtained(_logger, result.AuthenticationResultMetadata.TokenSource.ToString(), result.ExpiresOn);
            _last = new IssuedToken(result.AccessToken, result.ExpiresOn);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            // MSAL's messages carry the AADSTS code and description, never the secret.
            TokenFailed(_logger, ex.ErrorCode);
            throw new AccessTokenException($"The bot's outbound token could not be obtained: {ex.ErrorCode}.", ex);
        }
    }

    private void LogMsal(MsalLogLevel level, string message, bool containsPii)
    {
        // MSAL writes its per-call cache report at level Always: that is a debug detail, not a warning on every outbound call.
        if (!containsPii) MsalMessage(_logger, level switch
        {
            MsalLogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
            MsalLogLevel.Warning => Microsoft.Extensions.Logging.LogLevel.Warning,
            _ => Microsoft.Extensions.Logging.LogLevel.Debug,
        }, message);
    }

    [LoggerMessage(EventId = 4200, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Outbound token from {TokenSource}, expires {ExpiresOn}")]
    private static partial void TokenObtained(ILogger logger, string tokenSource, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 4201, Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Outbound token request failed: {MsalErrorCode}")]
    private static partial void TokenFailed(ILogger logger, string msalErrorCode);

    [LoggerMessage(EventId = 4202, Message = "MSAL: {MsalMessage}")]
    private static partial void MsalMessage(ILogger logger, Microsoft.Extensions.Logging.LogLevel level, string msalMessage);

    private sealed record IssuedToken(string Token, DateTimeOffset ExpiresOn);
}
