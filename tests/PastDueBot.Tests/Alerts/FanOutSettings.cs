using System.Globalization;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// The bot's settings for the fan-out tests: the given send rate and concurrency, warnings-only logs, and short polls,
/// claims and backoffs, so that a killed process's work is recovered in seconds rather than minutes.
/// </summary>
public static class FanOutSettings
{
    public static Dictionary<string, string?> Create(int tenantRequestsPerSecond, int concurrentSends, TimeSpan sendTimeout) => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Alerts:TenantRequestsPerSecond"] = tenantRequestsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["Alerts:MaxConcurrentSends"] = concurrentSends.ToString(CultureInfo.InvariantCulture),
        ["Alerts:PollInterval"] = "00:00:00.100",
        ["Alerts:ClaimTimeout"] = "00:00:03",
        ["Alerts:SendTimeout"] = sendTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Alerts:RetryBaseDelay"] = "00:00:00.200",
        ["Alerts:RetryMaxDelay"] = "00:00:02",
        ["Connector:MaxRetries"] = "2",
        ["Connector:BaseDelay"] = "00:00:00.100",
        ["Connector:MaxRetryAfter"] = "00:00:02",
    };
}
