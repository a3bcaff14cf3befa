using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PastDueBot.Host.Hosting;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// The bot in-process on a real Kestrel WebApplication at 127.0.0.1:0, configured only from what is passed (no
/// environment variables or appsettings), in the Development environment (a leaked exception page would show), every
/// log event recorded. Two shapes from one builder:
/// <list type="bullet">
/// <item><see cref="StartAsync"/>: the protocol layer alone (<c>AddBotFramework</c> + <c>MapBotFramework</c>) around a
/// test bot, on <see cref="InMemoryTestStorage"/> unless <c>configureServices</c> registers another IStorage.</item>
/// <item><see cref="StartProductAsync"/>: the whole product (<c>AddPastDueBot</c>: demo ledger and directory on a real
/// SQLite file), anonymous like the Agents Playground.</item>
/// </list>
/// Both answer through the real ConnectorClient into a <see cref="LoopbackConnector"/>; the outbound token (Entra ID is
/// out of reach) is a fixed test token when an app id is set, none in anonymous mode.
/// </summary>
public sealed class BotTestHost : IChatEndpoint, IAsyncDisposable
{
    public const string OutboundTestToken = "outbound-test-token";

    private readonly WebApplication _app;
    private readonly LoopbackConnector? _connector;
    private readonly bool _ownsConnectorAndData;
    private bool _keepData;

    private BotTestHost(WebApplication app, Uri baseAddress, RecordingLoggerProvider logs, LoopbackConnector? connector, string? dataDirectory, bool ownsConnectorAndData)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
        _connector = connector;
        DataDirectory = dataDirectory;
        _ownsConnectorAndData = ownsConnectorAndData;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public Uri MessagesEndpoint => new(BaseAddress, "/api/messages");

    public IServiceProvider Services => _app.Services;

    public RecordingLoggerProvider Logs { get; }

    public HttpClient Http { get; }

    public CloudAdapter Adapter => Services.GetRequiredService<CloudAdapter>();

    public LoopbackConnector Connector => _connector ?? throw new InvalidOperationException("This host was started without a connector.");

    /// <summary>The product's content root, holding its SQLite database (product hosts only).</summary>
    public string? DataDirectory { get; }

    /// <summary>The protocol layer around <paramref name="bot"/>; start-up fails (e.g. OptionsValidationException) as the real app would.</summary>
    public static async Task<BotTestHost> StartAsync(IBot bot, IDictionary<string, string?> configuration, Action<IServiceCollection>? configureServices = null, LoopbackConnector? connector = null)
    {
        var (builder, logs) = CreateBuilder(configuration, contentRoot: null);
        builder.Services.AddSingleton(bot);
        builder.Services.AddSingleton<IStorage, InMemoryTestStorage>();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddBotFramework(builder.Configuration);
        var app = builder.Build();
        app.MapBotFramework();
        return await StartAsync(app, logs, connector, dataDirectory: null, ownsConnectorAndData: false);
    }

    /// <summary>
    /// The product on a SQLite file in <paramref name="dataDirectory"/> (a new temp folder when null), answering into
    /// <paramref name="connector"/> (a new one when null). A host that created them deletes them when disposed.
    /// </summary>
    public static Task<BotTestHost> StartProductAsync(IReadOnlyDictionary<string, string?>? settings = null, LoopbackConnector? connector = null, string? dataDirectory = null)
        => StartProductAsync(settings, connector, dataDirectory, owns: connector is null && dataDirectory is null);

    private static async Task<BotTestHost> StartProductAsync(IReadOnlyDictionary<string, string?>? settings, LoopbackConnector? connector, string? dataDirectory, bool owns)
    {
        connector ??= await LoopbackConnector.StartAsync();
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "pastduebot-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);

        var configuration = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "",
            ["Storage:Provider"] = "Sqlite",
            ["Storage:Sqlite:Path"] = Path.Combine(dataDirectory, "pastduebot.db"),
            ["Connector:MaxRetries"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        var (builder, logs) = CreateBuilder(configuration, dataDirectory);
        builder.AddPastDueBot();
        var app = builder.Build();
        app.MapPastDueBot();
        return await StartAsync(app, logs, connector, dataDirectory, owns);
    }

    private static (WebApplicationBuilder Builder, RecordingLoggerProvider Logs) CreateBuilder(IEnumerable<KeyValuePair<string, string?>> configuration, string? contentRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = contentRoot });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.WebHost.UseKestrel().UseUrls(LoopbackServer.Url);

        var logs = new RecordingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);

        // Registered first, so AddBotConnector keeps it: Entra ID cannot be reached from a test.
        builder.Services.AddSingleton<IAccessTokenProvider>(sp => sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsAuthenticationDisabled
            ? new AnonymousAccessTokenProvider()
            : new FixedAccessTokenProvider(OutboundTestToken));
        return (builder, logs);
    }

    private static async Task<BotTestHost> StartAsync(WebApplication app, RecordingLoggerProvider logs, LoopbackConnector? connector, string? dataDirectory, bool ownsConnectorAndData)
    {
        try
        {
            var address = await LoopbackServer.StartAsync(app);
            return new BotTestHost(app, address, logs, connector, dataDirectory, ownsConnectorAndData);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A person in a 1:1 chat with this bot.</summary>
    public TeamsChat Chat(string aadObjectId, string locale = "en-US") => new(this, aadObjectId, locale);

    /// <summary>Stops this bot (as if killed after the last turn) and starts a new one on the same database and connector.</summary>
    public async Task<BotTestHost> RestartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _keepData = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return await StartProductAsync(settings, Connector, DataDirectory, _ownsConnectorAndData);
    }

    /// <summary>Every byte the bot's SQLite database left on disk (database, WAL and shared-memory files).</summary>
    public string DatabaseText() => TestFiles.ReadAllText(DataDirectory ?? throw new InvalidOperationException("Not a product host."));

    /// <summary>Every recorded log line with its structured fields and scopes.</summary>
    public string LogText() => Logs.AllText;

    /// <summary>Sends any method with any body to the messages endpoint.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, MessagesEndpoint);
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_keepData) return; // restarted: the app is already gone, its successor owns the data
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsConnectorAndData) return;
        await Connector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestFiles.TryDeleteDirectory(DataDirectory!);
    }
}

/// <summary>A fixed outbound token, standing in for Entra ID's.</summary>
public sealed class FixedAccessTokenProvider(string token) : IAccessTokenProvider
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(token);
}
