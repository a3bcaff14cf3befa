using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using Polly;

namespace PastDueBot.Protocol.Hosting;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// The outbound side of the protocol: the bot's token (MSAL client credentials with the app's secret, MSAL managed
    /// identity for UserAssignedMSI, or none in anonymous mode), and
    /// <see cref="IConnectorClientFactory"/> over one HttpClient pipeline: token → per-call timeout → retries → per-attempt timeout,
    /// and a second of single attempts (token → per-attempt timeout) for <see cref="IConnectorClientFactory.CreateWithoutRetries"/>.
    /// Reads the Azure Bot keys from the configuration root and the <c>Connector</c> section; bad credentials fail start-up.
    /// </summary>
    public static IServiceCollection AddBotConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotFrameworkOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, OutboundCredentialsValidator>());
        services.AddOptions<ConnectorOptions>()
            .Bind(configuration.GetSection(ConnectorOptions.SectionName))
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "Connector:MaxRetries must be between 0 and 10.")
            .Validate(o => o.BaseDelay > TimeSpan.Zero && o.MaxDelay >= o.BaseDelay, "Connector:BaseDelay must be positive and not above Connector:MaxDelay.")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, "Connector:AttemptTimeout must be positive and not above Connector:TotalTimeout.")
            .Validate(o => o.MaxRetryAfter >= TimeSpan.Zero, "Connector:MaxRetryAfter must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(MsalHttpClientFactory.ClientName).RedactLoggedHeaders(_ => true);
        services.TryAddSingleton<IMsalHttpClientFactory, MsalHttpClientFactory>();
        services.TryAddSingleton<IAccessTokenProvider>(sp => sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value switch
        {
            { IsAuthenticationDisabled: true } => new AnonymousAccessTokenProvider(),
            { AppType: BotAppType.UserAssignedMsi } => ActivatorUtilities.CreateInstance<ManagedIdentityAccessTokenProvider>(sp),
            _ => ActivatorUtilities.CreateInstance<MsalAccessTokenProvider>(sp),
        });

        services.TryAddTransient<ConnectorAuthorizationHandler>();
        // The factory's own request loggers are off: they open a log scope and format a redacted URI on every call
        // even when their category is filtered out, and ConnectorLog already records what fails or retries.
        var connector = services.AddHttpClient(ConnectorClientFactory.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        connector.AddResilienceHandler("connector", static (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            var options = provider.GetRequiredService<IOptions<ConnectorOptions>>().Value;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectorRetryPolicy));
            var policy = new ConnectorRetryPolicy(options, provider.GetRequiredService<TimeProvider>());

            pipeline.AddTimeout(options.TotalTimeout);
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(policy.CreateStrategyOptions(args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var outcome = args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "nothing";
                    var correlationId = args.Outcome.Result?.Headers.TryGetValues(ConnectorClient.CorrelationHeader, out var ids) == true ? ids.FirstOrDefault() : null;
                    ConnectorLog.Retrying(logger, request?.Method.Method, request?.RequestUri?.AbsolutePath, args.AttemptNumber + 1, outcome, correlationId, args.RetryDelay);
                    return default;
                }));
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });
        // Added after the resilience handler, so it runs inside it: every attempt asks for a (cached) token.
        connector.AddHttpMessageHandler<ConnectorAuthorizationHandler>();

        // One attempt per call, for callers that retry durably and pace every request themselves (CreateWithoutRetries).
        var singleAttempt = services.AddHttpClient(ConnectorClientFactory.SingleAttemptHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        singleAttempt.AddResilienceHandler("connector-single-attempt", static (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<ConnectorOptions>>().Value.AttemptTimeout));
        singleAttempt.AddHttpMessageHandler<ConnectorAuthorizationHandler>();

        services.TryAddSingleton<IConnectorClientFactory, ConnectorClientFactory>();
        return services;
    }
}
