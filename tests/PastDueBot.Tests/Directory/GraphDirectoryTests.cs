using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using PastDueBot.Domain.Directory;
using PastDueBot.Host.Directory;
using PastDueBot.Testing;

// Not "PastDueBot.Tests.Directory": that namespace would hide System.IO.Directory from every test namespace.
namespace PastDueBot.Tests.DirectoryAdapters;

/// <summary>The Graph adapter through the real Microsoft.Graph SDK and its HTTP pipeline, against a loopback Graph.</summary>
public sealed class GraphDirectoryTests : IAsyncLifetime
{
    private const string AdaId = "4d6f2a10-7c3b-4e59-9d8a-1b2c3d4e5f60";
    private const string MeganId = "5b1e0d2c-6f4a-4c8e-9a71-3d2f8b6c0e14";
    private const string GroupId = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";

    private GraphLoopbackServer _graph = null!;
    private MemoryCache _cache = null!;
    private GraphDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        _graph = await GraphLoopbackServer.StartAsync();
        _cache = new MemoryCache(new MemoryCacheOptions());
        var client = new GraphServiceClient(new FakeBearer(), _graph.BaseUrl);
        _directory = new GraphDirectory(client, _cache, Options.Create(new DirectoryOptions()),
            Options.Create(new GraphOptions { MaxRetries = 2 }), NullLogger<GraphDirectory>.Instance);
    }

    public async Task DisposeAsync()
    {
        _cache.Dispose();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task A_user_is_read_with_select_and_then_served_from_the_cache()
    {
        _graph.Then(c => GraphLoopbackServer.Json(c, $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,mail)/$entity",
             "id":"{{AdaId}}","displayName":"Ada Admin","userPrincipalName":"ada@contoso.example","mail":"ada@contoso.example"}
            """));

        var user = await _directory.FindUserAsync(AdaId);
        var again = await _directory.FindUserAsync(AdaId);

        Assert.Equal(new DirectoryUser(AdaId, "Ada Admin", "ada@contoso.example", "ada@contoso.example"), user);
        Assert.Equal(user, again);
        var request = Assert.Single(_graph.Requests);
        Assert.Equal(("GET", $"/v1.0/users/{AdaId}", "Bearer fake-graph-token"), (request.Method, request.Path, request.Authorization));
        Assert.Equal(["displayName", "id", "mail", "userPrincipalName"], request.Query["$select"].Split(',').Order());
    }

    [Fact]
    public async Task An_unknown_user_is_null()
    {
        _graph.Then(c => GraphLoopbackServer.Error(c, 404, "Request_ResourceNotFound",
            $"Resource '{AdaId}' does not exist or one of its queried reference-property objects are not present."));

        Assert.Null(await _directory.FindUserAsync(AdaId));
        Assert.Null(await _directory.FindUserAsync(AdaId));
        Assert.Single(_graph.Requests);
    }

    [Fact]
    public async Task Throttling_is_waited_out_as_Retry_After_says()
    {
        _graph.Then(c => GraphLoopbackServer.Error(c, 429, "TooManyRequests", "Too many requests.", retryAfterSeconds: 1));
        _graph.Then(c => GraphLoopbackServer.Json(c, $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,mail)/$entity",
             "id":"{{AdaId}}","displayName":"Ada Admin","userPrincipalName":"ada@contoso.example","mail":null}
            """));

        var user = await _directory.FindUserAsync(AdaId);

        Assert.Equal(new DirectoryUser(AdaId, "Ada Admin", "ada@contoso.example", null), user);
        Assert.Equal(["", "1"], _graph.Requests.Select(r => r.RetryAttempt));
    }

    [Fact]
    public async Task Throttling_beyond_the_retry_budget_reports_the_directory_unavailable_and_is_not_cached()
    {
        _graph.Fallback = c => GraphLoopbackServer.Error(c, 429, "TooManyRequests", "Too many requests.", retryAfterSeconds: 0);

        await Assert.ThrowsAsync<DirectoryUnavailableException>(() => _directory.GetRoleTemplateIdsAsync(AdaId));
        Assert.Equal(3, _graph.Requests.Count); // the call and MaxRetries = 2

        _graph.Fallback = c => GraphLoopbackServer.Json(c, """{"value":[]}""");
        Assert.Empty(await _directory.GetRoleTemplateIdsAsync(AdaId));
    }

    [Fact]
    public async Task Roles_are_the_directory_scoped_assignments_of_the_user_across_pages()
    {
        _graph.Then(c => GraphLoopbackServer.Json(c, $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments",
             "@odata.nextLink":"{{_graph.BaseUrl}}/roleManagement/directory/roleAssignments?$filter=principalId+eq+'{{AdaId}}'&$skiptoken=page2",
             "value":[
              {"id":"a1","principalId":"{{AdaId}}","directoryScopeId":"/","roleDefinitionId":"{{DirectoryRoles.BillingAdministrator}}"},
              {"id":"a2","principalId":"{{AdaId}}","directoryScopeId":"/administrativeUnits/5d107bba-d8e2-4e13-b6ae-884be90e5d1a","roleDefinitionId":"fe930be7-5e62-47db-91af-98c3a49a38b1"}]}
            """));
        _graph.Then(c => GraphLoopbackServer.Json(c, $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments",
             "value":[{"id":"a3","principalId":"{{AdaId}}","directoryScopeId":"/","roleDefinitionId":"{{DirectoryRoles.GlobalAdministrator}}"}]}
            """));

        var roles = await _directory.GetRoleTemplateIdsAsync(AdaId);

        Assert.Equal(new[] { DirectoryRoles.BillingAdministrator, DirectoryRoles.GlobalAdministrator }.Order(), roles.Order());
        var (first, second) = (_graph.Requests.First(), _graph.Requests.Last());
        Assert.Equal("/v1.0/roleManagement/directory/roleAssignments", first.Path);
        Assert.Equal($"principalId eq '{AdaId}'", first.Query["$filter"]);
        Assert.False(first.Query.ContainsKey("$expand"));
        Assert.Equal("page2", second.Query["$skiptoken"]);
    }

    [Fact]
    public async Task People_in_a_role_come_from_the_expanded_principals_users_only()
    {
        _graph.Then(c => GraphLoopbackServer.Json(c, $$$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())",
             "value":[
              {"id":"b1","principalId":"{{{MeganId}}}","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}",
               "principal":{"@odata.type":"#microsoft.graph.user","id":"{{{MeganId}}}","displayName":"Megan Bowen","userPrincipalName":"MeganB@contoso.example","mail":"MeganB@contoso.example"}},
              {"id":"b2","principalId":"{{{GroupId}}}","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}",
               "principal":{"@odata.type":"#microsoft.graph.group","id":"{{{GroupId}}}","displayName":"Billing team"}}]}
            """));

        var people = await _directory.GetUsersInRoleAsync(DirectoryRoles.BillingAdministrator);

        Assert.Equal([new DirectoryUser(MeganId, "Megan Bowen", "MeganB@contoso.example", "MeganB@contoso.example")], people);
        var request = Assert.Single(_graph.Requests);
        Assert.Equal($"roleDefinitionId eq '{DirectoryRoles.BillingAdministrator}'", request.Query["$filter"]);
        Assert.Equal("principal", request.Query["$expand"]);
    }

    [Fact]
    public async Task Fields_the_directory_does_not_read_are_skipped_whatever_their_shape()
    {
        // Graph returns more than $select asks for when a gateway or a newer schema adds it; the adapter reads
        // four fields and must step over arrays, objects and nulls it has no model for.
        _graph.Then(c => GraphLoopbackServer.Json(c, $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity",
             "businessPhones":["+1 425 555 0109"],"onPremisesExtensionAttributes":{"extensionAttribute1":null},
             "id":"{{AdaId}}","displayName":null,"userPrincipalName":"ada@contoso.example","mail":null,
             "assignedLicenses":[{"disabledPlans":[],"skuId":"c7df2760-2c81-4ef7-b578-5b5392b571df"}]}
            """));

        var user = await _directory.FindUserAsync(AdaId);

        // No display name: the sign-in name stands in for it.
        Assert.Equal(new DirectoryUser(AdaId, "ada@contoso.example", "ada@contoso.example", null), user);
    }

    [Fact]
    public async Task A_principal_that_does_not_say_it_is_a_user_is_not_one()
    {
        _graph.Then(c => GraphLoopbackServer.Json(c, $$$"""
            {"value":[
              {"id":"c1","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}",
               "principal":{"@odata.type":"#microsoft.graph.servicePrincipal","id":"{{{GroupId}}}","displayName":"Billing automation"}},
              {"id":"c2","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}",
               "principal":{"id":"{{{AdaId}}}","displayName":"Ada Admin","userPrincipalName":"ada@contoso.example"}},
              {"id":"c3","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}",
               "principal":{"@odata.type":"#microsoft.graph.user","id":"{{{MeganId}}}","displayName":"Megan Bowen","userPrincipalName":"MeganB@contoso.example","mail":"MeganB@contoso.example"}},
              {"id":"c4","directoryScopeId":"/","roleDefinitionId":"{{{DirectoryRoles.BillingAdministrator}}}","principal":null}]}
            """));

        var people = await _directory.GetUsersInRoleAsync(DirectoryRoles.BillingAdministrator);

        Assert.Equal([new DirectoryUser(MeganId, "Megan Bowen", "MeganB@contoso.example", "MeganB@contoso.example")], people);
    }

    [Fact]
    public async Task A_forbidden_call_reports_the_directory_unavailable()
    {
        _graph.Then(c => GraphLoopbackServer.Error(c, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
        var error = await Assert.ThrowsAsync<DirectoryUnavailableException>(() => _directory.FindUserAsync(AdaId));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Stands in for Entra ID: the token endpoint is the one thing this machine cannot reach.</summary>
    private sealed class FakeBearer : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            request.Headers.Add("Authorization", "Bearer fake-graph-token");
            return Task.CompletedTask;
        }
    }
}
