using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Hosting;

namespace PastDueBot.Tests.Connector;

/// <summary>AddBotConnector in a real host: outbound credentials that cannot work stop start-up with the setting named.</summary>
public sealed class ConnectorRegistrationTests
{
    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBotConnector(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Theory]
    [InlineData("UserAssignedMSI", "tenant-1", "secret", "MicrosoftAppPassword must be empty for MicrosoftAppType UserAssignedMSI")]
    [InlineData("UserAssignedMSI", "", "", "MicrosoftAppTenantId is required for MicrosoftAppType UserAssignedMSI")]
    [InlineData("SingleTenant", "", "secret", "MicrosoftAppTenantId is required")]
    [InlineData("", "tenant-1", "", "MicrosoftAppPassword is required")]
    [InlineData("MultiTenant", "", "", "MicrosoftAppPassword is required")]
    [InlineData("Federated", "tenant-1", "secret", "is not one of SingleTenant, MultiTenant, UserAssignedMSI")]
    public async Task Unusable_outbound_credentials_fail_start_up(string appType, string tenant, string password, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = tenant,
            ["MicrosoftAppPassword"] = password,
        }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_bad_retry_setting_fails_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { ["Connector:MaxRetries"] = "50" }));
        Assert.Contains("Connector:MaxRetries", error.Message);
    }

    [Fact]
    public async Task Anonymous_and_single_tenant_configurations_start()
    {
        using (var anonymous = await StartAsync(new()))
        {
            Assert.IsType<AnonymousAccessTokenProvider>(anonymous.Services.GetRequiredService<IAccessTokenProvider>());
            Assert.IsType<ConnectorClientFactory>(anonymous.Services.GetRequiredService<IConnectorClientFactory>());
            await anonymous.StopAsync();
        }

        using var singleTenant = await StartAsync(new()
        {
            ["MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["MicrosoftAppPassword"] = "secret",
        });
        Assert.IsType<MsalAccessTokenProvider>(singleTenant.Services.GetRequiredService<IAccessTokenProvider>());
        await singleTenant.StopAsync();
    }

    [Fact]
    public async Task A_user_assigned_managed_identity_starts_without_a_secret()
    {
        using var host = await StartAsync(new()
        {
            ["MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["MicrosoftAppType"] = "UserAssignedMSI",
            ["MicrosoftAppTenantId"] = "tenant-1",
        });

        Assert.IsType<ManagedIdentityAccessTokenProvider>(host.Services.GetRequiredService<IAccessTokenProvider>());
        await host.StopAsync();
    }
}
