namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Any reason an inbound request is not trusted: the endpoint maps this one type to 401 with an empty body.
/// The message is ours (never the token or an IdentityModel message that could echo it), safe to log.
/// </summary>
public sealed class ChannelAuthenticationException(string reason, Exception? inner = null)
    : UnauthorizedAccessException(reason, inner);
