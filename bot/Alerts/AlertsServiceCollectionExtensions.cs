using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PastDueBot.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>Channel subscriptions, the past-due scanner and the alert outbox.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
