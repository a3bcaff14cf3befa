using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage;
using PastDueBot.Storage.Coordination;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.Postgres;

/// <summary>Storage:Provider = Postgres: what gets registered, and how a wrong setting stops start-up.</summary>
public sealed class PostgresRegistrationTests
{
    private static ServiceProvider Build(IConfiguration configuration, bool botFrameworkFirst = false)
    {
        var services = new ServiceCollection().AddLogging();
        if (botFrameworkFirst) services.AddBotFramework(configuration);
        services.AddPastDueBotStorage(configuration, new TestHostEnvironment(Path.GetTempPath()));
        if (!botFrameworkFirst) services.AddBotFramework(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task StartAsync(IServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres" }).Build();

        var error = Assert.Throws<StorageStartupException>(() => Build(configuration));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_naming_the_key()
    {
        var error = Assert.Throws<StorageStartupException>(() => Build(TestHostEnvironment.Postgres("Host=127.0.0.1;Bogus Key=1")));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_stops_start_up_with_the_key_and_the_network_error_but_no_password()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        await using var services = Build(TestHostEnvironment.Postgres("Host=127.0.0.1;Port=1;Database=bot;Username=bot;Password=s3cret-Pa55;Timeout=5"));

        var error = await Assert.ThrowsAsync<StorageStartupException>(() => StartAsync(services));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1;Port=1;Database=bot", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret-Pa55", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.ToString(), StringComparison.Ordinal); // one line, no stack trace
    }

    [PostgresFact]
    public async Task A_missing_database_stops_start_up_with_the_servers_own_words()
    {
        var wrong = new NpgsqlConnectionStringBuilder(PostgresTestServer.RequireAdmin()) { Database = "no_such_db_" + Guid.NewGuid().ToString("N") };
        await using var services = Build(TestHostEnvironment.Postgres(wrong.ConnectionString));

        var error = await Assert.ThrowsAsync<StorageStartupException>(() => StartAsync(services));

        Assert.Contains("3D000", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{wrong.Database}\" does not exist", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Postgres_registers_the_database_the_document_store_and_the_cross_instance_lock_whatever_the_order()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("registration");
        try
        {
            foreach (var botFrameworkFirst in new[] { true, false })
            {
                await using var services = Build(TestHostEnvironment.Postgres(connectionString), botFrameworkFirst);
                await StartAsync(services);

                Assert.IsType<PostgresDatabase>(services.GetRequiredService<ISqlDatabase>());
                Assert.IsType<PostgresConversationLock>(services.GetRequiredService<IConversationLock>());
                Assert.IsType<SqlLeaderLease>(services.GetRequiredService<ILeaderLease>());
                var storage = services.GetRequiredService<IStorage>();
                await storage.WriteAsync(new Dictionary<string, StoreItem> { [$"k{botFrameworkFirst}"] = new("{}", null) });
                Assert.Single(await storage.ReadAsync([$"k{botFrameworkFirst}"]));
            }
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public void A_bad_lock_timeout_is_refused_naming_the_key()
    {
        var error = Assert.Throws<StorageStartupException>(() =>
            Build(TestHostEnvironment.Postgres("Host=127.0.0.1", ("Storage:Postgres:ConversationLockTimeout", "soon"))));

        Assert.Contains("Storage:Postgres:ConversationLockTimeout", error.Message, StringComparison.Ordinal);
    }
}
