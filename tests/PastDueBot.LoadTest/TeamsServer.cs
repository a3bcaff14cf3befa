using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PastDueBot.LoadTest;

/// <summary>
/// Teams' side on http://127.0.0.1:0: the channel's OpenID metadata and keys (when authentication is on) and the
/// Bot Connector under <c>/teams/</c>, the serviceUrl every activity carries.
/// </summary>
public sealed class TeamsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TeamsServer(WebApplication app, FakeConnector connector, ChannelKeys? keys, string baseAddress)
    {
        _app = app;
        Connector = connector;
        Keys = keys;
        BaseAddress = new Uri(baseAddress + "/");
    }

    public FakeConnector Connector { get; }

    public ChannelKeys? Keys { get; }

    public Uri BaseAddress { get; }

    public string ServiceUrl => new Uri(BaseAddress, "teams/").ToString();

    public string MetadataUrl => new Uri(BaseAddress, ChannelKeys.MetadataPath.TrimStart('/')).ToString();

    public static async Task<TeamsServer> StartAsync(ChannelKeys? keys, Func<string, bool>? acceptsToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var connector = new FakeConnector(acceptsToken);
        TeamsServer? server = null;
        if (keys is not null)
        {
            app.MapGet(ChannelKeys.MetadataPath, () => Results.Json(keys.Metadata(server!.BaseAddress)));
            app.MapGet(ChannelKeys.KeysPath, () => Results.Json(keys.Keys()));
        }
        app.Map("/teams/{**rest}", connector.HandleAsync);
        await app.StartAsync();
        server = new TeamsServer(app, connector, keys, LoopbackAddress.Of(app));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
