using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Graph;
using Microsoft.Extensions.Options;
using PastDueBot.Domain.Directory;

namespace PastDueBot.Host.Directory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft Graph when <c>Directory:Provider</c> is <c>Graph</c>, else the demo directory that treats the
    /// person chatting as a billing admin. Graph settings: <c>Graph:TenantId</c>, <c>Graph:ClientId</c>,
    /// <c>Graph:ClientSecret</c> (default to the bot's MicrosoftAppTenantId / MicrosoftAppId / MicrosoftAppPassword),
    /// <c>Graph:BaseUrl</c>, <c>Graph:MaxRetries</c>, <c>Graph:RetryTimeLimit</c>; <c>Directory:CacheDuration</c>.
    /// </summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section));
        var provider = configuration[$"{DirectoryOptions.Section}:Provider"] ?? "Demo";
        if (string.Equals(provider, "Graph", StringComparison.OrdinalIgnoreCase))
        {
            AddGraphDirectory(services, configuration);
        }
        else if (string.Equals(provider, "Demo", StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<IDirectory, DemoDirectory>();
        }
        else
        {
            throw new InvalidOperationException($"Directory:Provider must be Demo or Graph, not '{provider}'.");
        }

        return services;
    }

    // A method of its own, never inlined: compiling AddDirectory must not load the Graph SDK's types, which the demo
    // directory never uses (touching them cost about 6 MB of resident memory).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddGraphDirectory(IServiceCollection services, IConfiguration configuration)
    {
        var graph = GraphClientSetup.ResolveOptions(configuration);
        services.AddMemoryCache();
        services.TryAddSingleton(Options.Create(graph));
        services.TryAddSingleton(_ => GraphClientSetup.Create(graph));
        services.TryAddSingleton<IDirectory, GraphDirectory>();
    }
}
