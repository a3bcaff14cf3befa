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

    private readonly Lock _gate = new();
    private volatile IssuedToken? _last;
    private Task<IssuedToken>? _acquiring;

    protected MsalTokenProviderBase(ILogger logger) => Logger = logger;

    protected ILogger Logger { get; }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        // MSAL's cache lookup (with its per-call telemetry) costs more than the reply it authorises; while the last
        // token is far from expiry, hand it out directly. Near expiry MSAL decides (it refreshes 5 minutes early).
        if (_last is { } last && last.ExpiresOn - DateTimeOffset.UtcNow > ReuseMargin) return last.Token;
        var issued = await JoinOrStartAcquisition().WaitAsync(cancellationToken).ConfigureAwait(false);
        return issued.Token;
    }

    /// <summary>
    /// Callers that find no fresh token share one request to MSAL: the start-up warm-up and the first turns, or a
    /// burst of turns near expiry, ask Entra ID once between them instead of once each.
    /// </summary>
    private Task<IssuedToken> JoinOrStartAcquisition()
    {
        TaskCompletionSource<IssuedToken> started;
        lock (_gate)
        {
            if (_acquiring is { IsCompleted: false } running) return running;
            started = new TaskCompletionSource<IssuedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            _acquiring = started.Task;
        }
        _ = AcquireIntoAsync(started);
        return started.Task;
    }

    /// <summary>Completes <paramref name="into"/> with the token or the failure; every waiter sees the same outcome.</summary>
    private async Task AcquireIntoAsync(TaskCompletionSource<IssuedToken> into)
    {
        try
        {
            var result = await AcquireAsync().ConfigureAwait(false);
            TokenObtained(Logger, result.AuthenticationResultMetadata.TokenSource.ToString(), result.ExpiresOn);
            var issued = new IssuedToken(result.AccessToken, result.ExpiresOn);
            _last = issued;
            into.SetResult(issued);
        }
        catch (MsalException ex)
        {
            TokenFailed(Logger, ex.ErrorCode);
            into.SetException(new AccessTokenException(DescribeFailure(ex), ex));
        }
        catch (Exception ex)
        {
            into.SetException(ex); // surfaces to every waiter
        }
    }

    /// <summary>
    /// One token request through MSAL (its cache first). It takes no caller's cancellation: the request is shared by
    /// every caller waiting at the time, and MSAL's HttpClient has its own timeout.
    /// </summary>
    protected abstract Task<AuthenticationResult> AcquireAsync();

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
