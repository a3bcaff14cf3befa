using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// A real Kestrel WebApplication on 127.0.0.1:0 serving <c>/api/messages</c> through <c>AddBotFramework</c> and
/// <c>MapBotFramework</c>, with the given bot and configuration (only what is passed: no environment variables or
/// appsettings). Runs in the Development environment, so a leaked exception page would show up in responses.
/// Defaults: <see cref="InMemoryTestStorage"/> and <see cref="LoopbackConnectorClientFactory"/>; override in <c>configureServices</c>.
/// </summary>
public sealed class BotTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BotTestHost(WebApplication app, Uri baseAddress, RecordingLoggerProvider logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public Uri MessagesEndpoint => new(BaseAddress, "/api/messages");

    public IServiceProvider Services => _app.Services;

    public RecordingLoggerProvider Logs { get; }

    public HttpClient Http { get; }

    public CloudAdapter Adapter => Services.GetRequiredService<CloudAdapter>();

    /// <summary>Builds and starts the host; start-up fails (e.g. OptionsValidationException) as the real app would.</summary>
    public static async Task<BotTestHost> StartAsync(IBot bot, IDictionary<string, string?> configuration, Action<IServiceCollection>? configureServices = null)
    {
        var builder = LoopbackServer.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.WebHost.UseUrls(LoopbackServer.Url); // clearing the sources dropped it

        var logs = new RecordingLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);

        builder.Services.AddSingleton(bot);
        builder.Services.AddSingleton<IStorage, InMemoryTestStorage>();
        builder.Services.AddSingleton<IConnectorClientFactory, LoopbackConnectorClientFactory>();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddBotFramework(builder.Configuration);

        var app = builder.Build();
        app.MapBotFramework();
        try
        {
            var address = await LoopbackServer.StartAsync(app);
            return new BotTestHost(app, address, logs);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

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
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
