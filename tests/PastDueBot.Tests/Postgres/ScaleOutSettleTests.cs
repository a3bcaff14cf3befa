using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PastDueBot.Conversation.Cards;
using PastDueBot.Tests.Conversation;
using PastDueBot.Tests.Connector;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// Issue 6: two real bot processes on one PostgreSQL database behind a loopback round-robin. 200 people each walk
/// the whole settle flow (choose the subscription, edit the expiry, review, save) with every turn going to the
/// other process than the one before; every payment happens once and no conversation loses a step.
/// </summary>
[RequiresPostgres]
public sealed class ScaleOutSettleTests : IAsyncLifetime
{
    private const int Conversations = 200;
    private string _connectionString = string.Empty;
    private LoopbackConnector _connector = null!;
    private readonly List<BotProcess> _bots = [];
    private RoundRobinProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresTestServer.CreateDatabaseAsync("scaleout");
        _connector = await LoopbackConnector.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["MicrosoftAppId"] = "",
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _connectionString,
            ["Connector:MaxRetries"] = "0",
        };
        // Both at once: their schema migrations race, as two instances deployed together would.
        _bots.AddRange(await Task.WhenAll(BotProcess.StartAsync(settings), BotProcess.StartAsync(settings)));
        _proxy = await RoundRobinProxy.StartAsync(_bots.Select(b => b.MessagesEndpoint).ToList());
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        foreach (var bot in _bots) await bot.DisposeAsync();
        if (_connector is not null) await _connector.DisposeAsync();
        if (_connectionString.Length > 0) await PostgresTestServer.DropDatabaseAsync(_connectionString);
    }

    [PostgresFact]
    public async Task Two_hundred_conversations_alternating_between_two_processes_all_settle_once()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var gate = new SemaphoreSlim(16);
        var nextYear = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var flows = Enumerable.Range(0, Conversations).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var chat = new ProxyChat(http, _proxy.Endpoint, _connector, $"owner-scale-{i}");
                var list = chat.CardWith(await chat.SendAsync(ProxyChat.Message("settle")), "Input.ChoiceSet");
                var actions = chat.CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription,
                    new() { [CardIds.SubscriptionId] = ProxyChat.SubscriptionId(list, "Microsoft 365 Business Premium") }), CardIds.ActionEditExpiry);
                var form = chat.CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
                var review = chat.CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry,
                    new() { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = nextYear }), "Review and pay");
                var from = chat.Mark();
                await chat.SubmitAsync(review, CardIds.Save);
                await chat.WaitForAsync(from, "Payment received");
                return chat;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"Conversation {i} failed: {ex.Message}\n--- bot A ---\n{_bots[0].Output}\n--- bot B ---\n{_bots[1].Output}");
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var chats = await Task.WhenAll(flows);

        // Every conversation had 5 turns, alternating: 3 on the first process, 2 on the second.
        Assert.Equal([Conversations * 3, Conversations * 2], _proxy.Forwarded);
        Assert.All(chats, chat => Assert.Single(chat.All(), reply => reply.Json.Contains("Payment received", StringComparison.Ordinal)));

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        Assert.Equal(Conversations, await CountAsync("SELECT count(*) FROM billing_accounts"));
        Assert.Equal(Conversations * 3, await CountAsync("SELECT count(*) FROM subscriptions"));
        Assert.Equal(Conversations, await CountAsync("SELECT count(*) FROM payments"));
        Assert.Equal(Conversations, await CountAsync("SELECT count(*) FROM payments WHERE outcome = 'Paid'"));
        Assert.Equal(Conversations, await CountAsync("SELECT count(*) FROM subscriptions WHERE product_name = 'Microsoft 365 Business Premium' AND balance_minor = 0"));
    }
}

/// <summary>A person in a 1:1 chat whose activities go through the proxy; replies are read from the shared connector.</summary>
internal sealed class ProxyChat(HttpClient http, Uri endpoint, LoopbackConnector connector, string aadObjectId)
{
    private readonly string _conversationId = "a:" + Guid.NewGuid().ToString("N");
    private readonly string _userId = "29:" + Guid.NewGuid().ToString("N");

    public static JsonObject Message(string text) => new() { ["type"] = "message", ["text"] = text };

    public int Mark() => connector.Requests.Count;

    public Task<IReadOnlyList<BotReply>> SubmitAsync(BotReply card, string verb, Dictionary<string, string>? inputs = null, string? choice = null)
    {
        var action = TeamsChat.Descendants(card.Card).FirstOrDefault(n => (string?)n["type"] == "Action.Submit" && (string?)n["data"]?["verb"] == verb
                                                                          && (choice is null || (string?)n["data"]?["choice"] == choice))
                     ?? throw new Xunit.Sdk.XunitException($"No '{verb}' button on: {card.Json}");
        var value = (JsonObject)action["data"]!.DeepClone();
        foreach (var (key, input) in inputs ?? []) value[key] = input;
        return SendAsync(new JsonObject { ["type"] = "message", ["value"] = value, ["replyToId"] = card.ActivityId });
    }

    public async Task<IReadOnlyList<BotReply>> SendAsync(JsonObject activity)
    {
        var before = Mark();
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["channelId"] = "msteams";
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
        activity["locale"] = "en-US";
        activity["from"] = new JsonObject { ["id"] = _userId, ["name"] = "Ada Admin", ["aadObjectId"] = aadObjectId };
        activity["recipient"] = new JsonObject { ["id"] = "28:pastduebot", ["name"] = "PastDueBot" };
        activity["conversation"] = new JsonObject { ["id"] = _conversationId, ["conversationType"] = "personal", ["tenantId"] = "tenant-1" };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-1" } };
        using var response = await http.PostAsJsonAsync(endpoint, activity);
        if (response.StatusCode != HttpStatusCode.OK) throw new Xunit.Sdk.XunitException($"The bot answered {(int)response.StatusCode}.");
        return Replies(before);
    }

    public BotReply CardWith(IReadOnlyList<BotReply> replies, string text) =>
        replies.LastOrDefault(r => r.Card is not null && r.Json.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No card containing '{text}' in: {string.Join("\n", replies.Select(r => r.Json))}");

    public static string SubscriptionId(BotReply card, string product) =>
        (string)TeamsChat.Descendants(card.Card).Single(n => n["title"] is { } title && ((string?)title)!.StartsWith(product, StringComparison.Ordinal) && n["value"] is not null)["value"]!;

    public async Task<BotReply> WaitForAsync(int from, string text)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Replies(from).FirstOrDefault(r => r.Json.Contains(text, StringComparison.Ordinal)) is { } found) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The bot never posted '{text}' in {_conversationId}.");
    }

    public IReadOnlyList<BotReply> All() => Replies(0);

    private IReadOnlyList<BotReply> Replies(int from) => connector.Requests
        .Select((request, index) => (request, index))
        .Skip(from)
        .Where(p => p.request.Body.Length > 0 && (p.request.RawTarget.Contains(Uri.EscapeDataString(_conversationId), StringComparison.Ordinal)
                                                 || p.request.RawTarget.Contains(_conversationId, StringComparison.Ordinal)))
        .Select(p => new BotReply(p.request.Method, p.request.RawTarget,
            p.request.Method == "PUT" ? p.request.RawTarget.Split('/')[^1] : $"activity-{p.index + 1}",
            JsonNode.Parse(p.request.Body)!.AsObject()))
        .ToList();
}
