using PastDueBot.Alerts;
using PastDueBot.Conversation;
using PastDueBot.Host.Directory;
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

        var configuration = builder.Configuration;
        builder.Services
            .AddBotFramework(configuration)
            .AddBotConnector(configuration)
            .AddPastDueBotStorage(configuration, builder.Environment)
            .AddDemoBilling(configuration)
            .AddDirectory(configuration)
            .AddConversation(configuration)
            .AddAlerts(configuration);
        return builder;
    }

    public static WebApplication MapPastDueBot(this WebApplication app)
    {
        app.MapBotFramework("/api/messages");
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        return app;
    }
}
