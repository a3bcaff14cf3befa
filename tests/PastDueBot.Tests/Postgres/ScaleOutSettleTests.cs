using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PastDueBot.Conversation.Cards;
using PastDueBot.Tests.Infrastructure;

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

    private static BotReply CardWith(IReadOnlyList<BotReply> replies, string text) =>
        replies.LastOrDefault(r => r.Card is not null && r.Json.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No card containing '{text}' in: {string.Join("\n", replies.Select(r => r.Json))}");

    private static string SubscriptionId(BotReply card, string product) =>
        (string)TeamsChat.Descendants(card.Card).Single(n => n["title"] is { } title && ((string?)title)!.StartsWith(product, StringComparison.Ordinal) && n["value"] is not null)["value"]!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresTestServer.CreateDatabaseAsync("scaleout");
        _connector = await LoopbackConnector.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = _connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // Both at once: their schema migrations race, as two instances deployed together would.
        _bots.AddRange(await Task.WhenAll(BotProcess.StartAsync(_connector, settings), BotProcess.StartAsync(_connector, settings)));
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
                var chat = new TeamsChat(new ProxyEndpoint(_proxy.Endpoint, http, _connector), $"owner-scale-{i}", "en-US");
                var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
                var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription,
                    new Dictionary<string, string> { [CardIds.SubscriptionId] = SubscriptionId(list, "Microsoft 365 Business Premium") }), CardIds.ActionEditExpiry);
                var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
                var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry,
                    new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = nextYear }), "Review and pay");
                var from = chat.RequestCount;
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
        Assert.All(chats, chat => Assert.Single(chat.Replies(0), reply => reply.Json.Contains("Payment received", StringComparison.Ordinal)));

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

/// <summary>The round-robin proxy as the endpoint a <see cref="TeamsChat"/> talks to; replies are read from the shared connector.</summary>
internal sealed record ProxyEndpoint(Uri MessagesEndpoint, HttpClient Http, LoopbackConnector Connector) : IChatEndpoint;
