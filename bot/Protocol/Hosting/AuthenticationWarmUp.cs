using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Protocol.Authentication;

namespace PastDueBot.Protocol.Hosting;

/// <summary>
/// Fetches the channel's signing keys and the bot's outbound token while the host starts, so that the first
/// activity after a start or a deploy does not wait for both (each a first HTTPS call: a few hundred milliseconds
/// together). A turn that arrives meanwhile joins the same requests. A failure is logged and changes nothing: the
/// first turn asks again, as it would have without the warm-up. Nothing to do in anonymous mode.
/// </summary>
public sealed partial class AuthenticationWarmUp(
    IOptions<BotFrameworkOptions> options,
    ChannelSigningKeys signingKeys,
    IAccessTokenProvider tokens,
    ILogger<AuthenticationWarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IsAuthenticationDisabled) return Task.CompletedTask;
        return Task.WhenAll(
            WarmAsync("the channel's signing keys", signingKeys.GetAsync(stoppingToken), stoppingToken),
            WarmAsync("the outbound token", tokens.GetAccessTokenAsync(stoppingToken), stoppingToken));
    }

    private async Task WarmAsync(string what, Task fetch, CancellationToken stoppingToken)
    {
        try
        {
            // IdentityModel's fetch takes no cancellation: a host stopped during start-up stops waiting for it here,
            // rather than holding its shutdown until an unreachable endpoint times out.
            await fetch.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stopped during start-up.
        }
        catch (Exception ex)
        {
            NotWarmed(logger, what, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Could not fetch {What} at start-up ({ErrorType}: {Reason}); the first activity will try again")]
    private static partial void NotWarmed(ILogger logger, string what, string errorType, string reason);
}
