using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Tests.State;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection()
            .AddPastDueBotStorage(configuration, new TestEnvironment(_file.Folder))
            .BuildServiceProvider();
    }

    private static async Task StartAsync(IServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task By_default_state_lives_in_a_sqlite_file_under_the_content_root_created_at_start_up()
    {
        var expected = Path.Combine(_file.Folder, "data", "pastduebot.db");
        await using var services = Build();
        await StartAsync(services);

        Assert.True(File.Exists(expected));
        Assert.Equal(expected, Assert.IsType<SqliteDatabase>(services.GetRequiredService<ISqlDatabase>()).Path);
        var storage = services.GetRequiredService<IStorage>();
        Assert.Same(services.GetRequiredService<SqlStorage>(), storage);
        Assert.Same(storage, services.GetRequiredService<ConversationState>().Storage);
        Assert.Same(storage, services.GetRequiredService<UserState>().Storage);
        Assert.Equal(2, services.GetRequiredService<BotStateSet>().States.Count);
        // Handled activities are recorded in the conversation's document.
        Assert.IsType<ConversationStateDeduplicator>(services.GetRequiredService<PastDueBot.Protocol.Builder.IActivityDeduplicator>());

        await storage.WriteAsync(new Dictionary<string, StoreItem> { ["k"] = new("{}", null) });
        Assert.Single(await storage.ReadAsync(["k"]));
    }

    [Fact]
    public async Task A_relative_sqlite_path_is_taken_from_the_content_root()
    {
        await using var services = Build(("Storage:Provider", "sqlite"), ("Storage:Sqlite:Path", "custom/bot.db"));
        await StartAsync(services);

        Assert.True(File.Exists(Path.Combine(_file.Folder, "custom", "bot.db")));
    }

    [Fact]
    public void An_unknown_provider_is_rejected_at_start_up_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Storage:Provider", "Cosmos")));

        Assert.Contains("Storage:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cosmos", error.Message, StringComparison.Ordinal);
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "PastDueBot.Tests";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
