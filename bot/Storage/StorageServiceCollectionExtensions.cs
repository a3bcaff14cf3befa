using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The SQL database (SQLite by default) and the IStorage document store on it.</summary>
    public static IServiceCollection AddPastDueBotStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["Storage:Sqlite:Path"] ?? Path.Combine(environment.ContentRootPath, "data", "pastduebot.db");
        services.AddSingleton<ISqlDatabase>(_ => new SqliteDatabase(path));
        return services;
    }
}
