using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Hosting;

namespace PastDueBot.Tests.Connector;

/// <summary>
/// The container as the app builds it (AddBotConnector), with tiny backoff delays so fault tests run fast,
/// and every log event captured.
/// </summary>
public sealed class ConnectorTestHost : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string?> FastRetries = new Dictionary<string, string?>
    {
        ["Connector:MaxRetries"] = "3",
        ["Connector:BaseDelay"] = "00:00:00.001",
        ["Connector:MaxDelay"] = "00:00:00.010",
        ["Connector:AttemptTimeout"] = "00:00:10",
        ["Connector:TotalTimeout"] = "00:01:00",
    };

    private ConnectorTestHost(ServiceProvider services, CapturingLoggerProvider logs)
    {
        Services = services;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public IConnectorClientFactory Factory => Services.GetRequiredService<IConnectorClientFactory>();

    public static ConnectorTestHost Create(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var merged = new Dictionary<string, string?>(FastRetries);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) merged[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(merged).Build();

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddBotConnector(configuration);
        configure?.Invoke(services);
        return new ConnectorTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
