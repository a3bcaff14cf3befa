using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// MicrosoftAppType UserAssignedMSI: the connector token comes from the user-assigned managed identity whose client
/// id is MicrosoftAppId, for the resource <see cref="BotFrameworkOptions.OAuthScope"/> (as the SDK's
/// ManagedIdentityAppCredentials). MSAL finds the host's identity endpoint itself: App Service / Functions through
/// IDENTITY_ENDPOINT + IDENTITY_HEADER, Service Fabric, Cloud Shell and Azure Arc through theirs, IMDS otherwise.
/// No secret and no login URL: the platform holds the credential.
/// </summary>
public sealed class ManagedIdentityAccessTokenProvider : MsalTokenProviderBase
{
    private readonly IManagedIdentityApplication _app;
    private readonly string _clientId;
    private readonly string _resource;

    public ManagedIdentityAccessTokenProvider(IOptions<BotFrameworkOptions> options, IMsalHttpClientFactory httpClientFactory, ILogger<ManagedIdentityAccessTokenProvider> logger)
        : base(logger)
    {
        var settings = options.Value;
        if (settings.IsAuthenticationDisabled || settings.AppType != BotAppType.UserAssignedMsi)
        {
            throw new InvalidOperationException($"A managed identity token needs MicrosoftAppId and MicrosoftAppType UserAssignedMSI (got '{settings.MicrosoftAppType}').");
        }

        _clientId = settings.MicrosoftAppId!;
        _resource = settings.OAuthScope;
        // MSAL keeps managed identity tokens in a process-wide cache keyed by identity and resource.
        _app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(_clientId))
            .WithHttpClientFactory(httpClientFactory)
            .WithLogging(LogMsal, BridgedLogLevel, enablePiiLogging: false, enableDefaultPlatformLogging: false)
            .Build();
    }

    protected override Task<AuthenticationResult> AcquireAsync() =>
        _app.AcquireTokenForManagedIdentity(_resource).ExecuteAsync();

    // The identity endpoint's own message (e.g. "Unable to load the proper Managed Identity" with its correlation id)
    // is what tells an operator what went wrong; it never holds the token or IDENTITY_HEADER.
    protected override string DescribeFailure(MsalException exception)
    {
        var status = exception is MsalServiceException { StatusCode: > 0 } service
            ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {service.StatusCode})")
            : "";
        var detail = exception.Message.Trim().TrimEnd('.');
        var hint = exception.ErrorCode == MsalError.ManagedIdentityUnreachableNetwork
            ? "No managed identity endpoint answered: UserAssignedMSI needs an Azure host with the identity assigned (off Azure, use SingleTenant with a secret)."
            : "Check that this user-assigned identity is assigned to the host and is the Azure Bot's MicrosoftAppId.";
        return $"The bot's outbound token could not be obtained from the managed identity with client id {_clientId}: {exception.ErrorCode}{status}. {detail}. {hint}";
    }
}
