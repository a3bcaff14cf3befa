using Microsoft.Extensions.Configuration;
using PastDueBot.Host.Directory;

namespace PastDueBot.Tests.DirectoryAdapters;

public sealed class GraphClientSetupTests
{
    [Fact]
    public void Ids_and_secret_fall_back_to_the_bots_app_registration_and_discovery_stays_on_by_default()
    {
        var options = GraphClientSetup.ResolveOptions(Configuration(new()
        {
            ["MicrosoftAppTenantId"] = "tenant-1",
            ["MicrosoftAppId"] = "app-1",
            ["MicrosoftAppPassword"] = "secret-1",
        }));

        Assert.Equal(("tenant-1", "app-1", "secret-1"), (options.TenantId, options.ClientId, options.ClientSecret));
        Assert.Equal(GraphOptions.DefaultBaseUrl, options.BaseUrl);
        Assert.False(options.DisableInstanceDiscovery);
    }

    [Fact]
    public void A_private_cloud_turns_instance_discovery_off_and_its_own_keys_win()
    {
        var options = GraphClientSetup.ResolveOptions(Configuration(new()
        {
            ["MicrosoftAppId"] = "app-1",
            ["Graph:ClientId"] = "graph-app",
            ["Graph:BaseUrl"] = "https://graph.contoso.example/v1.0/",
            ["Graph:DisableInstanceDiscovery"] = "true",
        }));

        Assert.Equal("graph-app", options.ClientId);
        Assert.Equal("https://graph.contoso.example/v1.0", options.BaseUrl);
        Assert.True(options.DisableInstanceDiscovery);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
