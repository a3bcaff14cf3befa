using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PastDueBot.Alerts.Outbox;
using PastDueBot.Alerts.Scanning;
using PastDueBot.Alerts.Storage;
using PastDueBot.Alerts.Teams;
using PastDueBot.Conversation.Bot;
using PastDueBot.Conversation.Commands;
using PastDueBot.Conversation.Settle;
using PastDueBot.Protocol.Connector;

namespace PastDueBot.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Channel subscriptions, the past-due scanner and the alert outbox. Needs ISqlDatabase and ILeaderLease (storage layer),
    /// IBillingProvider, IDirectory, IConnectorClientFactory and the conversation layer. Configuration: section "Alerts" (AlertsOptions).
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AlertsOptions>().Bind(configuration.GetSection(AlertsOptions.SectionName))
            .Validate(o => o.ScanInterval > TimeSpan.Zero && o.ScannerLeaseTtl > TimeSpan.Zero && o.TenantRequestsPerSecond > 0 && o.MaxConcurrentSends > 0 && o.MaxAttempts > 0,
                "Alerts: ScanInterval, ScannerLeaseTtl, TenantRequestsPerSecond, MaxConcurrentSends and MaxAttempts must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertsStore>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<SendLimiter>();
        services.TryAddSingleton<AlertSender>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<EpisodeTracker>();
        services.TryAddSingleton<PastDueScanner>();
        services.AddSingleton<ICommandHandler, AlertsCommandHandler>();
        services.AddSingleton<ICardActionHandler, AlertCardActions>();
        services.AddSingleton<IInstallationObserver, AlertsInstallationObserver>();
        services.AddSingleton<IPaymentObserver, AlertsPaymentObserver>();

        var background = configuration.GetValue($"{AlertsOptions.SectionName}:{nameof(AlertsOptions.BackgroundEnabled)}", true);
        if (background)
        {
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
            services.AddHostedService(sp => sp.GetRequiredService<PastDueScanner>());
        }
        return services;
    }
}
