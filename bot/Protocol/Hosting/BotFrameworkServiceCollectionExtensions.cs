using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Connector;

namespace PastDueBot.Protocol.Hosting;

public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Inbound authentication, the adapter, the per-conversation lock and the redelivery guard, configured with the
    /// Azure Bot keys at the configuration root (MicrosoftAppId, MicrosoftAppPassword, …). An invalid configuration
    /// stops start-up with a message naming the key; a valid one has its signing keys and outbound token fetched
    /// while the host starts (<see cref="AuthenticationWarmUp"/>). Expects from other layers: an <c>IStorage</c> (deduplication),
    /// and the app's <see cref="IBot"/>. Also registers the outbound side (<see cref="ConnectorServiceCollectionExtensions.AddBotConnector"/>):
    /// the adapter cannot answer a turn without it. Lock, deduplicator and connector factory are TryAdd, so an
    /// implementation registered first (a distributed lock, a test's connector) wins.
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BotFrameworkOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, BotFrameworkOptionsValidator>());

        services.AddHttpClient(ChannelSigningKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(sp => new ChannelSigningKeys(
            sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.OpenIdMetadataUrl,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ChannelSigningKeys.HttpClientName)));
        services.TryAddSingleton<ChannelTokenValidator>();
        services.AddHostedService<AuthenticationWarmUp>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConversationLock, InProcessConversationLock>();
        services.TryAddSingleton<IActivityDeduplicator, StorageActivityDeduplicator>();
        services.TryAddSingleton<CloudAdapter>();
        // Once only: a second AddBotConnector would stack a second retry pipeline on the connector's HttpClient.
        if (!services.Any(service => service.ServiceType == typeof(IConnectorClientFactory)))
        {
            services.AddBotConnector(configuration);
        }

        return services;
    }

    /// <summary>
    /// The messaging endpoint the channel posts activities to. Every method is routed here so that anything
    /// other than POST gets 405 from the adapter (not a routing 404), and responses never carry exception details.
    /// </summary>
    public static IEndpointConventionBuilder MapBotFramework(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        return endpoints.Map(pattern, static async (HttpContext context) =>
        {
            var services = context.RequestServices;
            var adapter = services.GetRequiredService<CloudAdapter>();
            var bot = services.GetRequiredService<IBot>();
            await adapter.ProcessAsync(context.Request, context.Response, bot, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
