using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ProviderKey = "Storage:Provider";
    public const string SqlitePathKey = "Storage:Sqlite:Path";

    /// <summary>
    /// The SQL database (<c>Storage:Provider</c>, SQLite by default), the IStorage document store on it, and
    /// the conversation and user state on that store. All singletons: per-turn data lives in TurnState.
    /// </summary>
    public static IServiceCollection AddPastDueBotStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        var provider = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals(nameof(SqlDialect.Sqlite), StringComparison.OrdinalIgnoreCase))
        {
            // A relative path is relative to the content root, not to whatever directory the host started in.
            var path = Path.Combine(environment.ContentRootPath, configuration[SqlitePathKey] is { Length: > 0 } configured
                ? configured
                : Path.Combine("data", "pastduebot.db"));
            services.AddSingleton<ISqlDatabase>(_ => new SqliteDatabase(path));
        }
        else if (provider.Equals(nameof(SqlDialect.Postgres), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ProviderKey} = '{provider}': the PostgreSQL provider is not part of this build yet; use Sqlite.");
        }
        else
        {
            throw new InvalidOperationException($"{ProviderKey} = '{provider}' is not a storage provider; use Sqlite or Postgres.");
        }

        services.AddSingleton<SqlStorage>();
        services.AddSingleton<IStorage>(sp => sp.GetRequiredService<SqlStorage>());
        services.AddHostedService<DocumentsSchemaInitializer>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ConversationState(sp.GetRequiredService<IStorage>()));
        services.AddSingleton(sp => new UserState(sp.GetRequiredService<IStorage>()));
        services.AddSingleton(sp => new BotStateSet(sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<UserState>()));
        return services;
    }
}
