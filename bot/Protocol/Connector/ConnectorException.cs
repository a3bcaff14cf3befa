using System.Net;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// A Bot Connector call failed after the retries Teams asks for. <see cref="ErrorCode"/> is the
/// connector's <c>error.code</c> (e.g. BotNotInConversationRoster, ConversationBlockedByUser).
/// </summary>
public class ConnectorException(HttpStatusCode statusCode, string? errorCode, string message, string? correlationId = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public string? ErrorCode { get; } = errorCode;
    /// <summary>The connector's <c>X-Correlating-OperationId</c>, for support cases.</summary>
    public string? CorrelationId { get; } = correlationId;

    /// <summary>How long the connector asked the bot to wait (429/503 Retry-After), when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The conversation does not exist (or the bot cannot see it): drop the stored reference.</summary>
    public bool IsConversationNotFound => StatusCode == HttpStatusCode.NotFound && ErrorCode == "ConversationNotFound";

    /// <summary>Throttled past what the client was allowed to wait: try again after <see cref="RetryAfter"/>.</summary>
    public bool IsThrottled => StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// The bot may no longer post there (uninstalled, blocked by the user, disabled by an admin):
    /// stop posting and record why instead of retrying.
    /// </summary>
    public bool IsBotRemovedOrBlocked => StatusCode == HttpStatusCode.Forbidden
        && ErrorCode is "BotNotInConversationRoster" or "ConversationBlockedByUser" or "BotDisabledByAdmin" or "MessageWritesBlocked";
}
