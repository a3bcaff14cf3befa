using PastDueBot.Alerts;
using PastDueBot.Conversation;
using PastDueBot.Host.Directory;
using PastDueBot.Host.Health;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Storage;
using PastDueBot.Storage.Billing;

namespace PastDueBot.Host.Hosting;

/// <summary>The composition root: every layer registered in one place, in dependency order.</summary>
public static class PastDueBotHostExtensions
{
    /// <summary>The port the Bot Framework samples and the Agents Playground expect.</summary>
    public const string DefaultUrl = "http://localhost:3978";

    public static WebApplicationBuilder AddPastDueBot(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddPastDueBotLogging();
        builder.AddPastDueBotTelemetry();

        var configuration = builder.Configuration;
        builder.Services
            .AddBotFramework(configuration) // inbound auth, adapter, lock, a default redelivery guard and the outbound connector
            .AddPastDueBotStorage(configuration, builder.Environment) // state, and the redelivery guard in it
            .AddDemoBilling(configuration)
            .AddDirectory(configuration)
            .AddConversation(configuration)
            .AddAlerts(configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication MapPastDueBot(this WebApplication app)
    {
        app.MapBotFramework("/api/messages");
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
