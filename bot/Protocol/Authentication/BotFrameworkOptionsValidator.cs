using Microsoft.Extensions.Options;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Rejects a configuration the bot cannot run with, naming the key, so start-up fails instead of the first turn.
/// Rules follow the SDK's ConfigurationServiceClientCredentialFactory (see teams-bot-facts §2).
/// </summary>
public sealed class BotFrameworkOptionsValidator : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        var failures = new List<string>();
        var hasAppId = !string.IsNullOrWhiteSpace(options.MicrosoftAppId);
        var hasPassword = !string.IsNullOrWhiteSpace(options.MicrosoftAppPassword);
        var hasTenant = !string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId);

        if (options.AppType == BotAppType.Invalid)
        {
            failures.Add($"MicrosoftAppType '{options.MicrosoftAppType}' is not one of SingleTenant, MultiTenant, UserAssignedMSI.");
        }

        if (!hasAppId)
        {
            // Anonymous mode (local tools). A secret without an app id is a half-done configuration, not a choice.
            if (hasPassword) failures.Add("MicrosoftAppPassword is set but MicrosoftAppId is empty.");
        }
        else
        {
            if (!Guid.TryParse(options.MicrosoftAppId, out _))
                failures.Add("MicrosoftAppId must be the bot's Entra application (client) id, a GUID.");

            switch (options.AppType)
            {
                case BotAppType.SingleTenant:
                    if (!hasPassword) failures.Add("MicrosoftAppPassword is required for MicrosoftAppType SingleTenant.");
                    if (!hasTenant) failures.Add("MicrosoftAppTenantId is required for MicrosoftAppType SingleTenant.");
                    break;
                case BotAppType.MultiTenant:
                    if (!hasPassword) failures.Add("MicrosoftAppPassword is required for MicrosoftAppType MultiTenant.");
                    break;
                case BotAppType.UserAssignedMsi:
                    if (!hasTenant) failures.Add("MicrosoftAppTenantId is required for MicrosoftAppType UserAssignedMSI.");
                    if (hasPassword) failures.Add("MicrosoftAppPassword must be empty for MicrosoftAppType UserAssignedMSI (the managed identity has no secret).");
                    break;
            }
        }

        CheckUrl(options.ToBotFromChannelOpenIdMetadataUrl, "ToBotFromChannelOpenIdMetadataUrl", failures);
        CheckUrl(options.ToChannelFromBotLoginUrl, "ToChannelFromBotLoginUrl", failures);
        if (options.ToChannelFromBotOAuthScope is { } scope && scope.Length > 0 && string.IsNullOrWhiteSpace(scope))
            failures.Add("ToChannelFromBotOAuthScope is blank.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Unset is fine (public cloud default). Set: absolute https; plain http only on loopback (test channels).</summary>
    private static void CheckUrl(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            failures.Add($"{key} must be an absolute https URL (http only for a loopback host).");
        }
    }
}
