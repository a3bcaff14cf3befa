using System.Net;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// A Bot Connector call failed after the retries of its client's pipeline (none for a client made by
/// <see cref="IConnectorClientFactory.CreateWithoutRetries"/>). <see cref="ErrorCode"/> is the connector's
/// <c>error.code</c> (e.g. BotNotInConversationRoster, ConversationBlockedByUser), <see cref="SubCode"/> Teams' sub-code.
/// </summary>
public class ConnectorException(HttpStatusCode statusCode, string? errorCode, string message, string? correlationId = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public string? ErrorCode { get; } = errorCode;
    /// <summary>The connector's <c>X-Correlating-OperationId</c>, for support cases.</summary>
    public string? CorrelationId { get; } = correlationId;

    /// <summary>
    /// Teams' finer reason, when the body carried one: <c>MessageWritesBlocked</c> (the user blocked or uninstalled the
    /// bot; the body then has no <c>error.code</c>). See <see cref="ConnectorErrorBody"/>.
    /// </summary>
    public string? SubCode { get; init; }

    /// <summary>How long the connector asked the bot to wait (429/503 Retry-After), when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The conversation does not exist (or the bot cannot see it): drop the stored reference.</summary>
    public bool IsConversationNotFound => StatusCode == HttpStatusCode.NotFound && ErrorCode == ConnectorErrorCodes.ConversationNotFound;

    /// <summary>Throttled past what the client was allowed to wait: try again after <see cref="RetryAfter"/>.</summary>
    public bool IsThrottled => StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// The bot may no longer post there (not in the roster, blocked by the user or by channel moderation, disabled by
    /// the tenant admin, message writes blocked): stop posting and record <see cref="BlockedReason"/> instead of retrying.
    /// </summary>
    public bool IsBotRemovedOrBlocked => StatusCode == HttpStatusCode.Forbidden && (IsBlockingCode(ErrorCode) || IsBlockingCode(SubCode));

    /// <summary>The most specific documented reason of a refusal (the sub-code when there is one), else the status code.</summary>
    public string BlockedReason => SubCode ?? ErrorCode ?? ((int)StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsBlockingCode(string? code) => code is ConnectorErrorCodes.BotNotInConversationRoster or ConnectorErrorCodes.ConversationBlockedByUser
        or ConnectorErrorCodes.BotDisabledByAdmin or ConnectorErrorCodes.MessageWritesBlocked;
}
