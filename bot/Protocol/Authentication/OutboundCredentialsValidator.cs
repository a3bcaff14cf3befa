using Microsoft.Extensions.Options;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Refuses to start with outbound credentials that cannot work, naming the missing setting
/// (rules of the SDK's ConfigurationServiceClientCredentialFactory).
/// </summary>
public sealed class OutboundCredentialsValidator : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        if (options.IsAuthenticationDisabled) return ValidateOptionsResult.Success;

        var failures = new List<string>();
        switch (options.AppType)
        {
            case BotAppType.Invalid:
                failures.Add($"MicrosoftAppType '{options.MicrosoftAppType}' is not one of SingleTenant, MultiTenant, UserAssignedMSI.");
                break;
            case BotAppType.UserAssignedMsi:
                // The SDK's rule: the identity's client id (MicrosoftAppId) and tenant, and no secret, since the platform holds the credential.
                if (string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
                    failures.Add("MicrosoftAppTenantId is required for MicrosoftAppType UserAssignedMSI (the managed identity's tenant).");
                if (!string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
                    failures.Add("MicrosoftAppPassword must be empty for MicrosoftAppType UserAssignedMSI: the managed identity has no secret (remove it from the environment or user secrets).");
                break;
            case BotAppType.SingleTenant when string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId) && string.IsNullOrWhiteSpace(options.ToChannelFromBotLoginUrl):
                failures.Add("MicrosoftAppTenantId is required for a SingleTenant bot.");
                break;
        }

        if (options.AppType is BotAppType.SingleTenant or BotAppType.MultiTenant && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            failures.Add("MicrosoftAppPassword is required when MicrosoftAppId is set (supply it from the environment or user secrets).");
        }

        if (failures.Count == 0 && (!Uri.TryCreate(options.LoginUrl, UriKind.Absolute, out var login) || login.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("ToChannelFromBotLoginUrl must be an absolute https URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
