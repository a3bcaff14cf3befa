using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace PastDueBot.Tests.Postgres;

/// <summary>A host environment and configuration for calling AddPastDueBotStorage outside a real host.</summary>
public sealed class TestHostEnvironment(string contentRoot) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Development;
    public string ApplicationName { get; set; } = "PastDueBot.Tests";
    public string ContentRootPath { get; set; } = contentRoot;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

    public static IConfiguration Postgres(string connectionString, params (string Key, string Value)[] more) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = connectionString,
            })
            .AddInMemoryCollection(more.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)))
            .Build();
}
