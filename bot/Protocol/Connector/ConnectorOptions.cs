namespace PastDueBot.Protocol.Connector;

/// <summary>
/// How the Bot Connector client retries and times out, bound from the <c>Connector</c> configuration section.
/// Defaults follow the Teams rate-limit guidance: few, jittered, exponential retries.
/// </summary>
public sealed class ConnectorOptions
{
    public const string SectionName = "Connector";

    /// <summary>Retries after the first attempt (0 disables retrying).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; it doubles per attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No computed backoff waits longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest Retry-After the client waits for. A connector that asks for more gets its 429 surfaced
    /// (with <see cref="ConnectorException.RetryAfter"/>) so the caller can reschedule instead of holding a turn open.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One HTTP attempt; a timed-out GET/PUT/DELETE is retried, a timed-out POST is not (it may have been delivered).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>All attempts and waits of one call together.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Retry POSTs answered 502/504. Teams asks for it, but the gateway may already have delivered the message,
    /// so a retry can duplicate a post. On by default (bounded by <see cref="MaxRetries"/>); turn off to prefer
    /// a missing message over a duplicate.
    /// </summary>
    public bool RetryPostOnGatewayErrors { get; set; } = true;
}
