using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ProviderKey = "Storage:Provider";
    public const string SqlitePathKey = "Storage:Sqlite:Path";
    public const string PostgresConnectionKey = "ConnectionStrings:Postgres";
    public const string PostgresLockTimeoutKey = "Storage:Postgres:ConversationLockTimeout";
    public const string PostgresLockConnectionsKey = "Storage:Postgres:LockConnections";

    /// <summary>
    /// The SQL database (<c>Storage:Provider</c>: Sqlite by default, or Postgres with <c>ConnectionStrings:Postgres</c>),
    /// the IStorage document store on it, the conversation and user state on that store, and the coordination
    /// building blocks (<see cref="ILeaderLease"/>; on Postgres the cross-instance <see cref="IConversationLock"/>).
    /// All singletons: per-turn data lives in TurnState. The database is connected to once at start-up, before
    /// any other hosted service, so a wrong setting stops the host with a message naming the key.
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
            AddPostgres(services, configuration);
        }
        else
        {
            throw new InvalidOperationException($"{ProviderKey} = '{provider}' is not a storage provider; use Sqlite or Postgres.");
        }

        // Registered first among this layer's hosted services: it connects before any schema is touched.
        services.AddLogging();
        services.AddHostedService<StorageStartupCheck>();
        services.AddHostedService<SqliteCheckpointer>(); // does nothing on PostgreSQL
        services.AddSingleton<SqlStorage>();
        services.AddSingleton<IStorage>(sp => sp.GetRequiredService<SqlStorage>());
        services.AddHostedService<DocumentsSchemaInitializer>();
        services.AddHostedService<ActivityRecordPruner>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILeaderLease>(sp => new SqlLeaderLease(sp.GetRequiredService<ISqlDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ConversationState(sp.GetRequiredService<IStorage>()));
        services.AddSingleton(sp => new UserState(sp.GetRequiredService<IStorage>()));
        services.AddSingleton(sp => new BotStateSet(sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<UserState>()));
        // Handled activities are recorded in the conversation's document, written with the turn's state. Replace, not
        // TryAdd: AddBotFramework may already have registered the protocol's default, a record of its own per activity.
        services.Replace(ServiceDescriptor.Singleton<IActivityDeduplicator>(sp => new ConversationStateDeduplicator(
            sp.GetRequiredService<BotStateSet>(), sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    private static void AddPostgres(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[PostgresConnectionKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StorageStartupException($"{ProviderKey} is Postgres but {PostgresConnectionKey} is not set " +
                                              "(e.g. \"Host=db.example;Port=5432;Database=pastduebot;Username=pastduebot;Password=…\").");
        }
        var lockTimeout = ReadTimeSpan(configuration, PostgresLockTimeoutKey, TimeSpan.FromSeconds(60));
        var lockConnections = ReadInt(configuration, PostgresLockConnectionsKey, 100);

        // Syntax is checked now, at registration; the connection itself by StorageStartupCheck.
        PostgresDatabase.Parse(connectionString);
        services.AddSingleton(_ => new PostgresDatabase(connectionString, lockConnections));
        services.AddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        // Replace, not TryAdd: AddBotFramework may already have registered the in-process lock.
        services.Replace(ServiceDescriptor.Singleton<IConversationLock>(sp => new PostgresConversationLock(sp.GetRequiredService<PostgresDatabase>(), lockTimeout)));
    }

    private static TimeSpan ReadTimeSpan(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new StorageStartupException($"{key} = '{text}' is not a positive time span (e.g. \"00:01:00\").");
    }

    private static int ReadInt(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new StorageStartupException($"{key} = '{text}' is not a positive number.");
    }
}
