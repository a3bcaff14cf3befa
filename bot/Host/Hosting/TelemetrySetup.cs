using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PastDueBot.Host.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics, off unless <see cref="ExporterKey"/> names an exporter: <c>otlp</c> sends them to
/// an OpenTelemetry collector or any OTLP endpoint (address, protocol and headers from the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables; service name from <c>OTEL_SERVICE_NAME</c>, else PastDueBot), <c>console</c>
/// prints them, for a look on one machine. Off, nothing is registered and nothing is recorded.
/// A trace holds a request to /api/messages and every HTTP call its turn makes (connector replies, tokens, Graph);
/// health probes are left out. Metrics: ASP.NET Core's, HttpClient's and the runtime's. Only what the instrumentations
/// record by default: paths and routes, never a body (card numbers only ever travel in bodies).
/// </summary>
public static class TelemetrySetup
{
    public const string ExporterKey = "Telemetry:Exporter";

    private const string DefaultServiceName = "PastDueBot";

    public static WebApplicationBuilder AddPastDueBotTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var exporter = builder.Configuration[ExporterKey];
        if (string.IsNullOrWhiteSpace(exporter) || exporter.Equals("none", StringComparison.OrdinalIgnoreCase)) return builder;
        var console = exporter.Equals("console", StringComparison.OrdinalIgnoreCase);
        if (!console && !exporter.Equals("otlp", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ExporterKey} = '{exporter}' is not an exporter; use none, otlp or console.");
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(serviceName) ? DefaultServiceName : serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                    .AddHttpClientInstrumentation();
                if (console) tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("System.Runtime");
                if (console) metrics.AddConsoleExporter();
                else metrics.AddOtlpExporter();
            });
        return builder;
    }
}
