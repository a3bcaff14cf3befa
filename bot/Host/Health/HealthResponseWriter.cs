using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PastDueBot.Host.Health;

/// <summary>/healthz as JSON: the overall status and, per check, its status and reason (200 healthy, 503 otherwise).</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthBody(
            Status(report.Status),
            report.Entries.ToDictionary(entry => entry.Key, entry => new HealthEntry(Status(entry.Value.Status), entry.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Default.HealthBody, context.RequestAborted);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

internal sealed record HealthBody(string Status, IReadOnlyDictionary<string, HealthEntry> Checks);

internal sealed record HealthEntry(string Status, string? Reason);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthBody))]
internal sealed partial class HealthJson : System.Text.Json.Serialization.JsonSerializerContext;
