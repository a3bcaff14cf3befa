using Microsoft.Extensions.Options;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>A configuration the bot cannot run with stops start-up, naming the key (and never echoing the secret).</summary>
public sealed class BotFrameworkOptionsValidationTests
{
    private const string AppId = "6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60";
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string Secret = "pretend-secret-value-123";

    public static TheoryData<string, Dictionary<string, string?>> Invalid => new()
    {
        { "MicrosoftAppPassword", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "SingleTenant", ["MicrosoftAppTenantId"] = Tenant } },
        { "MicrosoftAppTenantId", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "SingleTenant", ["MicrosoftAppPassword"] = Secret } },
        { "MicrosoftAppTenantId", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppPassword"] = Secret } }, // type missing = SingleTenant
        { "MicrosoftAppPassword", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "MultiTenant" } },
        { "MicrosoftAppPassword", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "UserAssignedMSI", ["MicrosoftAppTenantId"] = Tenant, ["MicrosoftAppPassword"] = Secret } },
        { "MicrosoftAppTenantId", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "UserAssignedMSI" } },
        { "MicrosoftAppType", new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "SharedSecret", ["MicrosoftAppPassword"] = Secret, ["MicrosoftAppTenantId"] = Tenant } },
        { "MicrosoftAppType", new() { ["MicrosoftAppType"] = "Anonymous" } },
        { "MicrosoftAppId", new() { ["MicrosoftAppId"] = "my-bot", ["MicrosoftAppType"] = "MultiTenant", ["MicrosoftAppPassword"] = Secret } },
        { "MicrosoftAppId", new() { ["MicrosoftAppPassword"] = Secret } },
        { "ToBotFromChannelOpenIdMetadataUrl", new() { ["ToBotFromChannelOpenIdMetadataUrl"] = "http://login.botframework.com/v1/.well-known/openidconfiguration" } },
        { "ToBotFromChannelOpenIdMetadataUrl", new() { ["ToBotFromChannelOpenIdMetadataUrl"] = "not a url" } },
        { "ToChannelFromBotLoginUrl", new() { ["ToChannelFromBotLoginUrl"] = "/relative/login" } },
        { "MicrosoftAppId", new() { ["MicrosoftAppId"] = "my-identity", ["MicrosoftAppType"] = "UserAssignedMSI", ["MicrosoftAppTenantId"] = Tenant } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_configuration_stops_start_up_naming_the_key(string key, Dictionary<string, string?> configuration)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BotTestHost.StartAsync(new RecordingBot(), configuration));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Dictionary<string, string?>> Valid => new()
    {
        new Dictionary<string, string?>(), // anonymous (local tools)
        new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "SingleTenant", ["MicrosoftAppPassword"] = Secret, ["MicrosoftAppTenantId"] = Tenant },
        new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "singletenant", ["MicrosoftAppPassword"] = Secret, ["MicrosoftAppTenantId"] = Tenant },
        new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "MultiTenant", ["MicrosoftAppPassword"] = Secret },
        // The managed identity's client id and tenant, no secret (the token is only asked for on the first outbound call).
        new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "UserAssignedMSI", ["MicrosoftAppTenantId"] = Tenant },
        new() { ["MicrosoftAppId"] = AppId, ["MicrosoftAppType"] = "MultiTenant", ["MicrosoftAppPassword"] = Secret,
                ["ToBotFromChannelOpenIdMetadataUrl"] = "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
                ["ToChannelFromBotLoginUrl"] = "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us",
                ["ToChannelFromBotOAuthScope"] = "https://api.botframework.us" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Valid_configuration_starts(Dictionary<string, string?> configuration)
    {
        await using var host = await BotTestHost.StartAsync(new RecordingBot(), configuration);

        using var response = await host.SendAsync(HttpMethod.Get);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
