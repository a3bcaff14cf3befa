using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using PastDueBot.Domain.Directory;

namespace PastDueBot.Host.Directory;

/// <summary>
/// The directory in Microsoft Entra ID through Microsoft Graph, app-only. Application permissions needed (admin
/// consent): <c>User.Read.All</c> (GET /users/{id}) and <c>RoleManagement.Read.Directory</c>
/// (GET /roleManagement/directory/roleAssignments). Answers are cached for <see cref="DirectoryOptions.CacheDuration"/>;
/// 404 means an unknown user; 429/503/504 are retried by Kiota's RetryHandler, honouring Retry-After, within
/// <see cref="GraphOptions.MaxRetries"/> and <see cref="GraphOptions.RetryTimeLimit"/>.
/// Only direct assignments at directory scope ("/") count: group-assigned and PIM-eligible roles are not seen.
/// Requests are built by the SDK's request builders and sent through its request adapter (token, retries,
/// telemetry), but parsed into the few fields read here (<see cref="GraphPrincipal"/>, <see cref="GraphRoleAssignmentPage"/>)
/// rather than the SDK's full models.
/// </summary>
public sealed partial class GraphDirectory : IDirectory
{
    private static readonly string[] UserFields = ["id", "displayName", "userPrincipalName", "mail"];

    /// <summary>As the SDK maps them: any error status is read as an OData error.</summary>
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphServiceClient _client;
    private readonly IMemoryCache _cache;
    private readonly TimeSpan _cacheDuration;
    private readonly RetryHandlerOption _retry;
    private readonly ILogger<GraphDirectory> _logger;

    public GraphDirectory(GraphServiceClient client, IMemoryCache cache, IOptions<DirectoryOptions> directory, IOptions<GraphOptions> graph, ILogger<GraphDirectory> logger)
    {
        _client = client;
        _cache = cache;
        _cacheDuration = directory.Value.CacheDuration;
        _logger = logger;
        // Given on every request, so the bound holds whichever pipeline built the client.
        _retry = new RetryHandlerOption
        {
            MaxRetry = Math.Clamp(graph.Value.MaxRetries, 0, 10),
            RetriesTimeLimit = graph.Value.RetryTimeLimit,
        };
    }

    public async Task<DirectoryUser?> FindUserAsync(string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        var cached = await CachedAsync($"graph:user:{objectId.ToLowerInvariant()}", async () =>
        {
            try
            {
                var request = _client.Users[objectId].ToGetRequestInformation(config =>
                {
                    config.QueryParameters.Select = UserFields;
                    config.Options.Add(_retry);
                });
                var user = await _client.RequestAdapter.SendAsync(request, GraphPrincipal.Create, ErrorMapping, cancellationToken).ConfigureAwait(false);
                return new CachedUser(user is null ? null : ToDirectoryUser(user));
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                LogUnknownUser(objectId);
                return new CachedUser(null);
            }
        }).ConfigureAwait(false);
        return cached.User;
    }

    public async Task<IReadOnlySet<string>> GetRoleTemplateIdsAsync(string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        return await CachedAsync<IReadOnlySet<string>>($"graph:roles:{objectId.ToLowerInvariant()}", async () =>
        {
            var assignments = await ListAssignmentsAsync($"principalId eq '{Quote(objectId)}'", expandPrincipal: false, cancellationToken).ConfigureAwait(false);
            // For built-in roles the role definition id is the role template id.
            return assignments
                .Where(a => a.DirectoryScopeId is null or "/" && a.RoleDefinitionId is not null)
                .Select(a => a.RoleDefinitionId!)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DirectoryUser>> GetUsersInRoleAsync(string roleTemplateId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleTemplateId);
        return await CachedAsync<IReadOnlyList<DirectoryUser>>($"graph:role-members:{roleTemplateId.ToLowerInvariant()}", async () =>
        {
            var assignments = await ListAssignmentsAsync($"roleDefinitionId eq '{Quote(roleTemplateId)}'", expandPrincipal: true, cancellationToken).ConfigureAwait(false);
            // Principals can also be groups or service principals; only people can be asked for help.
            return assignments
                .Where(a => a.DirectoryScopeId is null or "/")
                .Select(a => a.Principal)
                .OfType<GraphPrincipal>()
                .Where(p => string.Equals(p.ODataType, GraphPrincipal.UserType, StringComparison.OrdinalIgnoreCase))
                .Select(ToDirectoryUser)
                .DistinctBy(u => u.Id, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }).ConfigureAwait(false);
    }

    private async Task<List<GraphRoleAssignment>> ListAssignmentsAsync(string filter, bool expandPrincipal, CancellationToken cancellationToken)
    {
        var all = new List<GraphRoleAssignment>();
        var request = _client.RoleManagement.Directory.RoleAssignments.ToGetRequestInformation(config =>
        {
            config.QueryParameters.Filter = filter;
            if (expandPrincipal)
            {
                config.QueryParameters.Expand = ["principal"];
            }

            config.Options.Add(_retry);
        });
        var page = await _client.RequestAdapter.SendAsync(request, GraphRoleAssignmentPage.Create, ErrorMapping, cancellationToken).ConfigureAwait(false);

        while (page is not null)
        {
            all.AddRange(page.Value ?? []);
            if (string.IsNullOrEmpty(page.ODataNextLink))
            {
                break;
            }

            request = _client.RoleManagement.Directory.RoleAssignments.WithUrl(page.ODataNextLink)
                .ToGetRequestInformation(config => config.Options.Add(_retry));
            page = await _client.RequestAdapter.SendAsync(request, GraphRoleAssignmentPage.Create, ErrorMapping, cancellationToken).ConfigureAwait(false);
        }

        return all;
    }

    /// <summary>Caches answers (unknown users too); failures are not cached and surface as <see cref="DirectoryUnavailableException"/>.</summary>
    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> load)
    {
        if (_cache.TryGetValue(key, out T? hit) && hit is not null)
        {
            return hit;
        }

        T value;
        try
        {
            value = await load().ConfigureAwait(false);
        }
        catch (ODataError error)
        {
            LogGraphFailed(error.ResponseStatusCode, error.Error?.Code);
            throw new DirectoryUnavailableException($"Microsoft Graph answered {error.ResponseStatusCode} ({error.Error?.Code}).", error);
        }
        catch (ApiException error)
        {
            LogGraphFailed(error.ResponseStatusCode, null);
            throw new DirectoryUnavailableException($"Microsoft Graph answered {error.ResponseStatusCode}.", error);
        }
        catch (AggregateException error) when (error.InnerExceptions.OfType<ApiException>().LastOrDefault() is { } last)
        {
            // Kiota's RetryHandler gives up with every failed attempt bundled together.
            LogGraphFailed(last.ResponseStatusCode, "retries exhausted");
            throw new DirectoryUnavailableException($"Microsoft Graph still answered {last.ResponseStatusCode} after {error.InnerExceptions.Count} attempts.", error);
        }
        catch (HttpRequestException error)
        {
            LogGraphFailed(0, error.GetType().Name);
            throw new DirectoryUnavailableException("Microsoft Graph could not be reached.", error);
        }

        _cache.Set(key, value, _cacheDuration);
        return value;
    }

    private static DirectoryUser ToDirectoryUser(GraphPrincipal user) =>
        new(user.Id ?? string.Empty, user.DisplayName ?? user.UserPrincipalName ?? user.Id ?? string.Empty, user.UserPrincipalName, user.Mail);

    /// <summary>OData string literals double their single quotes.</summary>
    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private sealed record CachedUser(DirectoryUser? User);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Microsoft Graph does not know the user {ObjectId}")]
    private partial void LogUnknownUser(string objectId);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Microsoft Graph call failed with status {Status} ({Code})")]
    private partial void LogGraphFailed(int status, string? code);
}
