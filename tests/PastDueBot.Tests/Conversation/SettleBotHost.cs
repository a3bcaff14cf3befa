using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PastDueBot.Host.Hosting;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Tests.Connector;

namespace PastDueBot.Tests.Conversation;

/// <summary>
/// The real bot host (AddPastDueBot: demo ledger and demo directory on a real SQLite file) on Kestrel 127.0.0.1:0,
/// anonymous like the Agents Playground, answering into a <see cref="LoopbackConnector"/>. Every log event is captured.
/// </summary>
public sealed class SettleBotHost : IAsyncDisposable
{
    private bool _keepData;

    private SettleBotHost(WebApplication app, LoopbackConnector connector, CapturingLoggerProvider logs, string dataDirectory, Uri endpoint)
    {
        App = app;
        Connector = connector;
        Logs = logs;
        DataDirectory = dataDirectory;
        Endpoint = endpoint;
    }

    public WebApplication App { get; }

    public LoopbackConnector Connector { get; }

    public CapturingLoggerProvider Logs { get; }

    public string DataDirectory { get; }

    public Uri Endpoint { get; }

    public HttpClient Http { get; } = new();

    public static async Task<SettleBotHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, LoopbackConnector? sharedConnector = null, string? sharedData = null)
    {
        var connector = sharedConnector ?? await LoopbackConnector.StartAsync();
        var dataDirectory = sharedData ?? Path.Combine(Path.GetTempPath(), "pastduebot-settle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dataDirectory, EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["MicrosoftAppId"] = "",
            ["Storage:Provider"] = "Sqlite",
            ["Storage:Sqlite:Path"] = Path.Combine(dataDirectory, "pastduebot.db"),
            ["Connector:MaxRetries"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);

        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddPastDueBot();
        // The composition root does not wire the outbound connector yet; the test does, as the host will.
        if (!builder.Services.Any(service => service.ServiceType == typeof(PastDueBot.Protocol.Connector.IConnectorClientFactory)))
        {
            builder.Services.AddBotConnector(builder.Configuration);
        }

        var app = builder.Build();
        app.MapPastDueBot();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SettleBotHost(app, connector, logs, dataDirectory, new Uri($"{address.TrimEnd('/')}/api/messages"));
    }

    public TeamsChat Chat(string aadObjectId, string locale = "en-US") => new(this, aadObjectId, locale);

    /// <summary>Stops this process's bot (as if killed after the last turn) and starts a new one on the same database and connector.</summary>
    public async Task<SettleBotHost> RestartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _keepData = true;
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return await StartAsync(settings, Connector, DataDirectory);
    }

    /// <summary>Every byte the bot's SQLite database left on disk (database, WAL and shared-memory files).</summary>
    public string DatabaseText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(System.Text.Encoding.Latin1.GetString(memory.ToArray()));
        }
        return text.ToString();
    }

    /// <summary>Every captured log line with its structured fields.</summary>
    public string LogText() => string.Join("\n", Logs.Logs.Select(log =>
        $"{log.Category} {log.Message} {string.Join(";", log.Fields.Select(field => $"{field.Key}={field.Value}"))} {log.Exception}"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_keepData) return;
        await App.StopAsync();
        await App.DisposeAsync();
        await Connector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One activity the bot sent to the connector, with the id the connector gave it.</summary>
public sealed record BotReply(string Method, string Target, string ActivityId, JsonObject Activity)
{
    public string? Text => (string?)Activity["text"];

    public JsonObject? Card => Activity["attachments"]?[0]?["content"] as JsonObject;

    /// <summary>The activity as JSON text with nothing escaped (the wire escapes apostrophes as \u0027).</summary>
    public string Json => Activity.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary>A person in a 1:1 Teams chat with the bot, typing and clicking cards as Teams would send them.</summary>
public sealed class TeamsChat(SettleBotHost host, string aadObjectId, string locale, string? conversationId = null, string? userId = null)
{
    private readonly string _conversationId = conversationId ?? "a:" + Guid.NewGuid().ToString("N");
    private readonly string _userId = userId ?? "29:" + Guid.NewGuid().ToString("N");

    /// <summary>The same person in the same chat, talking to another bot process.</summary>
    public TeamsChat On(SettleBotHost other) => new(other, aadObjectId, locale, _conversationId, _userId);

    /// <summary>Clicks an Action.Execute with the data of the Action.Submit for <paramref name="verb"/>: an adaptiveCard/action invoke.</summary>
    public async Task<(JsonObject Body, IReadOnlyList<BotReply> Replies)> ExecuteAsync(BotReply card, string verb)
    {
        var data = (JsonObject)FindSubmit(card, verb, null)["data"]!.DeepClone();
        var before = host.Connector.Requests.Count;
        var activity = new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["replyToId"] = card.ActivityId,
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data }, ["trigger"] = "manual" },
        };
        var body = await PostAsync(activity);
        return (JsonNode.Parse(body)!.AsObject(), Replies(before));
    }

    /// <summary>Waits (bounded) until the bot has posted something containing <paramref name="text"/> since request <paramref name="from"/>.</summary>
    public async Task<BotReply> WaitForAsync(int from, string text)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = Replies(from).FirstOrDefault(reply => reply.Json.Contains(text, StringComparison.Ordinal));
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The bot never posted '{text}'.");
    }

    public int RequestCount => host.Connector.Requests.Count;

    public string ConversationId => _conversationId;

    public Task<IReadOnlyList<BotReply>> SayAsync(string text) => SendAsync(new JsonObject { ["type"] = "message", ["text"] = text });

    /// <summary>Clicks the Action.Submit whose data has <paramref name="verb"/> (and the given data values), with the inputs filled in.</summary>
    public Task<IReadOnlyList<BotReply>> SubmitAsync(BotReply card, string verb, IReadOnlyDictionary<string, string>? inputs = null, string? choice = null)
    {
        var action = FindSubmit(card, verb, choice);
        var value = (JsonObject)action["data"]!.DeepClone();
        foreach (var (key, input) in inputs ?? new Dictionary<string, string>()) value[key] = input;
        return SendAsync(new JsonObject { ["type"] = "message", ["value"] = value, ["replyToId"] = card.ActivityId });
    }

    public async Task<IReadOnlyList<BotReply>> SendAsync(JsonObject activity)
    {
        var before = host.Connector.Requests.Count;
        await PostAsync(activity);
        return Replies(before);
    }

    private async Task<string> PostAsync(JsonObject activity)
    {
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["channelId"] = "msteams";
        activity["serviceUrl"] = host.Connector.ServiceUrl;
        activity["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
        activity["locale"] = locale;
        activity["from"] = new JsonObject { ["id"] = _userId, ["name"] = "Ada Admin", ["aadObjectId"] = aadObjectId };
        activity["recipient"] = new JsonObject { ["id"] = "28:pastduebot", ["name"] = "PastDueBot" };
        activity["conversation"] = new JsonObject { ["id"] = _conversationId, ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } };

        using var response = await host.Http.PostAsJsonAsync(host.Endpoint, activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>What the bot has sent since request number <paramref name="from"/> (proactive posts included).</summary>
    public IReadOnlyList<BotReply> Replies(int from) => host.Connector.Requests
        .Select((request, index) => (request, index))
        .Skip(from)
        .Where(pair => pair.request.Body.Length > 0
            && (pair.request.RawTarget.Contains(Uri.EscapeDataString(_conversationId), StringComparison.Ordinal)
                || pair.request.RawTarget.Contains(_conversationId, StringComparison.Ordinal)))
        .Select(pair => new BotReply(pair.request.Method, pair.request.RawTarget,
            pair.request.Method == "PUT" ? pair.request.RawTarget.Split('/')[^1] : $"activity-{pair.index + 1}",
            JsonNode.Parse(pair.request.Body)!.AsObject()))
        .ToList();

    private static JsonObject FindSubmit(BotReply card, string verb, string? choice)
    {
        var actions = Descendants(card.Card).Where(node => (string?)node["type"] == "Action.Submit" && (string?)node["data"]?["verb"] == verb);
        if (choice is not null) actions = actions.Where(node => (string?)node["data"]?["choice"] == choice);
        return actions.FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"No '{verb}' button on the card: {card.Json}");
    }

    public static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                    foreach (var inner in Descendants(child)) yield return inner;
                break;
            case JsonArray array:
                foreach (var child in array)
                    foreach (var inner in Descendants(child)) yield return inner;
                break;
        }
    }
}
