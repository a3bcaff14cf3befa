namespace PastDueBot.Protocol.Connector;

/// <summary>The <c>error.code</c> values Teams documents for the connector, plus the client's own for failures without a response.</summary>
public static class ConnectorErrorCodes
{
    public const string Throttled = "Throttled";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string ConversationNotFound = "ConversationNotFound";
    public const string ActivityNotFoundInConversation = "ActivityNotFoundInConversation";
    public const string MessageSizeTooBig = "MessageSizeTooBig";
    public const string BotNotRegistered = "BotNotRegistered";
    public const string BotNotInConversationRoster = "BotNotInConversationRoster";
    public const string ConversationBlockedByUser = "ConversationBlockedByUser";
    public const string BotDisabledByAdmin = "BotDisabledByAdmin";
    /// <summary>A <c>subCode</c>, not an <c>error.code</c>: 403 for a thread blocked from message writes (see <see cref="ConnectorErrorBody"/>).</summary>
    public const string MessageWritesBlocked = "MessageWritesBlocked";

    /// <summary>No answer within <see cref="ConnectorOptions.AttemptTimeout"/> (status 408, set by this client).</summary>
    public const string ClientTimeout = "ClientTimeout";

    /// <summary>The connection failed or broke (status 503, set by this client).</summary>
    public const string TransportFailure = "TransportFailure";

    /// <summary>The outbound token could not be obtained (status 401, set by this client).</summary>
    public const string TokenAcquisitionFailed = "TokenAcquisitionFailed";
}
