using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PastDueBot.Protocol.Hosting;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>Authentication, the connector client and the adapter, configured with the Azure Bot keys.</summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        // Filled in by the protocol layer.
        return services;
    }

    /// <summary>Maps the messaging endpoint the channel posts activities to.</summary>
    public static IEndpointConventionBuilder MapBotFramework(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        return endpoints.MapPost(pattern, () => Microsoft.AspNetCore.Http.Results.StatusCode(501));
    }
}
