using Microsoft.Extensions.Logging.Console;

namespace PastDueBot.Host.Hosting;

/// <summary>
/// Structured console logs by default: one JSON object a line with the scopes, so every line written during a turn
/// carries the adapter's ActivityId and ConversationId, and connector calls their CorrelatingOperationId. Settings
/// under <c>Logging</c> still win (e.g. <c>Logging:Console:FormatterName=simple</c> for a person reading a terminal).
/// Only the console is touched: a host that replaced the providers (tests, a hosting sink) keeps its own levels.
/// </summary>
internal static class LoggingSetup
{
    public static WebApplicationBuilder AddPastDueBotLogging(this WebApplicationBuilder builder)
    {
        if (!builder.Services.Any(service => service.ImplementationType == typeof(ConsoleLoggerProvider)))
        {
            return builder;
        }

        var logging = builder.Configuration.GetSection("Logging");
        if (string.IsNullOrEmpty(logging["Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }

        if (!logging.GetSection("LogLevel").Exists() && !logging.GetSection("Console:LogLevel").Exists())
        {
            // The same defaults as appsettings.json, for a content root without it: the bot's own events, and only
            // warnings from per-request chatter. Successful connector calls log at Debug (with their correlating id);
            // at Information a line per reply would cost more CPU than the turn itself.
            builder.Logging.AddFilter<ConsoleLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter<ConsoleLoggerProvider>("System.Net.Http.HttpClient", LogLevel.Warning);
            builder.Logging.AddFilter<ConsoleLoggerProvider>("Polly", LogLevel.Warning);
        }

        return builder;
    }
}
