using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using MsalLogLevel = Microsoft.Identity.Client.LogLevel;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// What the MSAL-backed token providers share: the last token handed out directly while far from expiry, MSAL's
/// own log bridged into the app's at Warning and above (never PII), and every MSAL failure turned into an
/// <see cref="AccessTokenException"/>. Subclasses say how MSAL gets the token.
/// </summary>
public abstract partial class MsalTokenProviderBase : IAccessTokenProvider
{
    /// <summary>The MSAL log level bridged into the app's log (anything lower costs a callback per token request).</summary>
    protected const MsalLogLevel BridgedLogLevel = MsalLogLevel.Warning;

    private static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(10);

    private volatile IssuedToken? _last;

    protected MsalTokenProviderBase(ILogger logger) => Logger = logger;

    protected ILogger Logger { get; }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        // MSAL's cache lookup (with its per-call telemetry) costs more than the reply it authorises; while the last
        // token is far from expiry, hand it out directly. Near expiry MSAL decides (it refreshes 5 minutes early).
        if (_last is { } last && last.ExpiresOn - DateTimeOffset.UtcNow > ReuseMargin) return last.Token;
        try
        {
            var result = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            TokenObtained(Logger, result.AuthenticationResultMetadata.TokenSource.ToString(), result.ExpiresOn);
            _last = new IssuedToken(result.AccessToken, result.ExpiresOn);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            TokenFailed(Logger, ex.ErrorCode);
            throw new AccessTokenException(DescribeFailure(ex), ex);
        }
    }

    /// <summary>One token request through MSAL (its cache first).</summary>
    protected abstract Task<AuthenticationResult> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>The message of the <see cref="AccessTokenException"/>: no secret, no token.</summary>
    protected abstract string DescribeFailure(MsalException exception);

    /// <summary>MSAL's logging callback (pass to <c>WithLogging</c> with <see cref="BridgedLogLevel"/>).</summary>
    protected void LogMsal(MsalLogLevel level, string message, bool containsPii)
    {
        // MSAL writes its per-call cache report at level Always: that is a debug detail, not a warning on every outbound call.
        if (!containsPii) MsalMessage(Logger, level switch
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
