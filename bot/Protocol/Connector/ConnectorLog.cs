using Microsoft.Extensions.Logging;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// The connector client's structured log events. They carry the operation, route, status, the connector's
/// X-Correlating-OperationId and the serviceUrl, never a header value, token or message body.
/// </summary>
internal static partial class ConnectorLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug,
        Message = "Connector {Operation} {Route} answered {StatusCode} (correlating id {CorrelatingOperationId}, {ServiceUrl})")]
    public static partial void Succeeded(ILogger logger, string operation, string route, int statusCode, string? correlatingOperationId, Uri serviceUrl);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Connector {Operation} failed with {StatusCode} {ErrorCode} {SubCode} (correlating id {CorrelatingOperationId}, {ServiceUrl})")]
    public static partial void Failed(ILogger logger, string operation, int statusCode, string? errorCode, string? subCode, string? correlatingOperationId, Uri serviceUrl);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Connector {Method} {Path} attempt {Attempt} got {Outcome} (correlating id {CorrelatingOperationId}); retrying in {RetryDelay}")]
    public static partial void Retrying(ILogger logger, string? method, string? path, int attempt, string outcome, string? correlatingOperationId, TimeSpan retryDelay);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "Connector {Operation} got no answer: {ErrorCode} ({ServiceUrl})")]
    public static partial void NoAnswer(ILogger logger, Exception exception, string operation, string errorCode, Uri serviceUrl);

}
