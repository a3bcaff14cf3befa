using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace PastDueBot.Host.Directory;

/// <summary>Builds the production GraphServiceClient: client-credentials (app-only) token from Azure.Identity.</summary>
public static class GraphClientSetup
{
    /// <summary>
    /// Ids and secret fall back to the bot's own app registration (MicrosoftAppTenantId / MicrosoftAppId /
    /// MicrosoftAppPassword), which then needs the Graph application permissions User.Read.All and
    /// RoleManagement.Read.Directory with admin consent.
    /// </summary>
    public static GraphOptions ResolveOptions(IConfiguration configuration)
    {
        var options = new GraphOptions();
        configuration.GetSection(GraphOptions.Section).Bind(options);
        options.TenantId = NonEmpty(options.TenantId) ?? NonEmpty(configuration["MicrosoftAppTenantId"]);
        options.ClientId = NonEmpty(options.ClientId) ?? NonEmpty(configuration["MicrosoftAppId"]);
        options.ClientSecret = NonEmpty(options.ClientSecret) ?? NonEmpty(configuration["MicrosoftAppPassword"]);
        options.BaseUrl = NonEmpty(options.BaseUrl)?.TrimEnd('/') ?? GraphOptions.DefaultBaseUrl;
        return options;
    }

    public static GraphServiceClient Create(GraphOptions options)
    {
        if (options.TenantId is null || options.ClientId is null || options.ClientSecret is null)
        {
            throw new InvalidOperationException(
                "Directory:Provider is Graph but Graph:TenantId, Graph:ClientId or Graph:ClientSecret (or MicrosoftAppTenantId, " +
                "MicrosoftAppId, MicrosoftAppPassword) is missing.");
        }

        var credential = new CoalescingTokenCredential(new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret,
            new ClientSecretCredentialOptions { DisableInstanceDiscovery = options.DisableInstanceDiscovery }));
        // App-only tokens ask for ".default": the application permissions consented for the app.
        var baseUrl = new Uri(options.BaseUrl);
        var scope = baseUrl.GetLeftPart(UriPartial.Authority) + "/.default";
        // The token goes to the configured Graph host and to no other: the SDK's default list names only Microsoft's
        // clouds, and for any other host (a gateway, a test double) it would send the call without a token.
        var authentication = new AzureIdentityAuthenticationProvider(credential, [baseUrl.Host], null, true, scope);
        return new GraphServiceClient(authentication, options.BaseUrl);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
