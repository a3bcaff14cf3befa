namespace PastDueBot.Host.Directory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>Microsoft Graph when configured, else the demo directory that treats the chatter as a billing admin.</summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
