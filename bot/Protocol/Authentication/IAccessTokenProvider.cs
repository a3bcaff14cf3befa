namespace PastDueBot.Protocol.Authentication;

/// <summary>The bot's outbound token for the Bot Connector (SDK: AppCredentials / ServiceClientCredentials).</summary>
public interface IAccessTokenProvider
{
    /// <summary>A bearer token, cached until shortly before it expires; null in anonymous mode (no Authorization header).</summary>
    Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>The token could not be obtained (wrong secret, unknown tenant, authority unreachable).</summary>
public sealed class AccessTokenException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Anonymous mode (no MicrosoftAppId): outbound calls carry no Authorization header, as in the SDK.</summary>
public sealed class AnonymousAccessTokenProvider : IAccessTokenProvider
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}
