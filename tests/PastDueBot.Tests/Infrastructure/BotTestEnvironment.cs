using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// The three loopback parties of a protocol test: the channel (tokens, keys), the connector (outbound calls) and
/// the bot host, wired together: the bot trusts the channel's keys and activities carry the connector's serviceUrl.
/// </summary>
public sealed class BotTestEnvironment : IAsyncDisposable
{
    private BotTestEnvironment(TestChannel channel, LoopbackConnector connector, BotTestHost host, RecordingBot bot)
    {
        Channel = channel;
        Connector = connector;
        Host = host;
        Bot = bot;
    }

    public TestChannel Channel { get; }
    public LoopbackConnector Connector { get; }
    public BotTestHost Host { get; }
    public RecordingBot Bot { get; }

    public string ServiceUrl => Connector.ServiceUrl;

    /// <param name="configure">Changes to the bot's configuration (e.g. remove MicrosoftAppId for anonymous mode).</param>
    public static async Task<BotTestEnvironment> StartAsync(RecordingBot? bot = null, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var channel = await TestChannel.StartAsync();
        var connector = await LoopbackConnector.StartAsync();
        bot ??= new RecordingBot();
        var configuration = channel.BotConfiguration();
        configure?.Invoke(configuration);
        var host = await BotTestHost.StartAsync(bot, configuration, configureServices);
        return new BotTestEnvironment(channel, connector, host, bot);
    }

    /// <summary>A valid token for this connector's serviceUrl, optionally broken by <paramref name="configure"/>.</summary>
    public string Token(Action<TokenSpec>? configure = null) => Channel.CreateToken(ServiceUrl, configure);

    public Activity Message(string text, string? id = null, string conversationId = "a:1-personal-chat") => Channel.CreateMessage(ServiceUrl, text, id, conversationId);

    /// <summary>Posts with a valid token unless one is given.</summary>
    public Task<HttpResponseMessage> PostAsync(Activity activity, string? token = null) => Channel.PostActivityAsync(Host.MessagesEndpoint, activity, token ?? Token());

    public Task<HttpResponseMessage> PostRawAsync(string body, string? authorization = "valid", string contentType = "application/json")
        => Channel.PostAsync(Host.MessagesEndpoint, body, authorization == "valid" ? $"Bearer {Token()}" : authorization, contentType);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await Channel.DisposeAsync();
    }
}
