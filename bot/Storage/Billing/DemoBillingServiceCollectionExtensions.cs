using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Storage.Billing;

public static class DemoBillingServiceCollectionExtensions
{
    /// <summary>
    /// The embedded demo ledger as the IBillingProvider, on the ISqlDatabase registered by AddPastDueBotStorage.
    /// Settings: <c>Billing:Demo:ProcessorDelay</c> (e.g. "00:00:05"), <c>Billing:Demo:Currency</c>.
    /// </summary>
    public static IServiceCollection AddDemoBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoBillingOptions>().Bind(configuration.GetSection(DemoBillingOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DemoBillingLedger>();
        services.TryAddSingleton<IBillingProvider>(sp => sp.GetRequiredService<DemoBillingLedger>());
        return services;
    }
}
