using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Domain.Demo;
using PastDueBot.Domain.Directory;
using PastDueBot.Host.Directory;

// Not "PastDueBot.Tests.Directory": that namespace would hide System.IO.Directory from every test namespace.
namespace PastDueBot.Tests.DirectoryAdapters;

public sealed class DemoDirectoryTests
{
    private static IDirectory Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddDirectory(configuration).BuildServiceProvider().GetRequiredService<IDirectory>();
    }

    [Fact]
    public async Task Whoever_chats_is_a_billing_admin_by_default()
    {
        var directory = Build(new());
        Assert.IsType<DemoDirectory>(directory);
        Assert.NotNull(await directory.FindUserAsync("any-object-id"));
        Assert.Equal([DirectoryRoles.BillingAdministrator], await directory.GetRoleTemplateIdsAsync("any-object-id"));
        Assert.Equal(DemoPeople.MeganBowenName, (await directory.FindUserAsync(DemoPeople.MeganBowenId))!.DisplayName);
    }

    [Fact]
    public async Task Configured_and_prefixed_ids_walk_the_non_admin_and_unknown_branches()
    {
        var directory = Build(new()
        {
            ["Directory:Demo:NonAdmins:0"] = "11111111-0000-0000-0000-000000000001",
            ["Directory:Demo:UnknownUsers:0"] = "22222222-0000-0000-0000-000000000002",
        });

        Assert.NotNull(await directory.FindUserAsync("11111111-0000-0000-0000-000000000001"));
        Assert.Empty(await directory.GetRoleTemplateIdsAsync("11111111-0000-0000-0000-000000000001"));
        Assert.Empty(await directory.GetRoleTemplateIdsAsync("nonadmin-17"));
        Assert.Null(await directory.FindUserAsync("22222222-0000-0000-0000-000000000002"));
        Assert.Null(await directory.FindUserAsync("unknown-3"));
        Assert.Equal([DemoPeople.MeganBowenId], (await directory.GetUsersInRoleAsync(DirectoryRoles.BillingAdministrator)).Select(u => u.Id));
        Assert.Equal([DemoPeople.NestorWilkeId], (await directory.GetUsersInRoleAsync(DirectoryRoles.GlobalAdministrator)).Select(u => u.Id));
    }

    [Fact]
    public void Graph_is_chosen_by_configuration_with_the_bots_app_registration_as_default_credentials()
    {
        var directory = Build(new()
        {
            ["Directory:Provider"] = "Graph",
            ["MicrosoftAppTenantId"] = "tenant-id",
            ["MicrosoftAppId"] = "app-id",
            ["MicrosoftAppPassword"] = "not-a-real-secret",
        });
        Assert.IsType<GraphDirectory>(directory);

        Assert.Throws<InvalidOperationException>(() => Build(new() { ["Directory:Provider"] = "Graph" }));
        Assert.Throws<InvalidOperationException>(() => Build(new() { ["Directory:Provider"] = "Ldap" }));
    }
}
