using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// Which connector failures are retried, and after how long. What Teams asks for: 429 honouring Retry-After;
/// 412, 502, 504 (and 503) with jittered exponential backoff; bounded. Never 401/403/404/413: retrying cannot help,
/// and the 403 codes mean the bot was removed or blocked.
/// </summary>
/// <remarks>
/// Duplicates. <c>POST …/activities</c> and <c>POST v3/conversations</c> are not idempotent and the connector has no
/// idempotency key, so a POST is retried only when it surely was not processed (429, 412, 503, or a connection that
/// never opened) and, because Teams asks for it, on 502/504 (<see cref="ConnectorOptions.RetryPostOnGatewayErrors"/>):
/// there a duplicate post is possible and accepted, bounded by <see cref="ConnectorOptions.MaxRetries"/>. A POST that
/// timed out or lost its connection mid-flight is not retried: the caller gets a <see cref="ConnectorException"/> and
/// decides (the alerts store the posted activity id and update it instead of re-posting). GET, PUT (replaces the
/// whole activity) and DELETE are idempotent and are retried on timeouts and broken connections as well.
/// </remarks>
public sealed class ConnectorRetryPolicy(ConnectorOptions options, TimeProvider timeProvider)
{
    public RetryStrategyOptions<HttpResponseMessage> CreateStrategyOptions(Func<OnRetryArguments<HttpResponseMessage>, ValueTask>? onRetry = null) => new()
    {
        MaxRetryAttempts = options.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.BaseDelay,
        MaxDelay = options.MaxDelay,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.GetRequestMessage()?.Method, args.Outcome)),
        DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome.Result)),
        OnRetry = onRetry,
    };

    public bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome)
    {
        var idempotent = method is not null && method != HttpMethod.Post && method != HttpMethod.Patch;
        if (outcome.Result is { } response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => RetryAfterWithinLimit(response),
                HttpStatusCode.PreconditionFailed => true,
                HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => idempotent || options.RetryPostOnGatewayErrors,
                _ => false,
            };
        }

        return outcome.Exception switch
        {
            TimeoutRejectedException => idempotent,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => true,
            HttpRequestException => idempotent,
            _ => false,
        };
    }

    /// <summary>The wait the connector asked for (seconds or an HTTP date), or null to use the jittered backoff.</summary>
    public TimeSpan? RetryAfterOf(HttpResponseMessage? response)
    {
        var delay = ReadRetryAfter(response?.Headers.RetryAfter, timeProvider.GetUtcNow());
        return delay is null ? null : delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    public static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    private bool RetryAfterWithinLimit(HttpResponseMessage response) =>
        RetryAfterOf(response) is not { } wait || wait <= options.MaxRetryAfter;
}
