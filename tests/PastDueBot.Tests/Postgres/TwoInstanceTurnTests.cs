using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Postgres;

/// <summary>
/// Two bot hosts (two DI containers, two pools: two "instances") on one PostgreSQL database, behind one channel:
/// turns of one conversation never overlap across them, and a redelivery to the other instance does not run again.
/// </summary>
[RequiresPostgres]
public sealed class TwoInstanceTurnTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private readonly RecordingBot _botA = new();
    private readonly RecordingBot _botB = new();
    private TestChannel _channel = null!;
    private LoopbackConnector _connector = null!;
    private BotTestHost _a = null!;
    private BotTestHost _b = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await database.NewSchemaAsync();
        _channel = await TestChannel.StartAsync();
        _connector = await LoopbackConnector.StartAsync();
        var storageConfiguration = TestHostEnvironment.Postgres(connectionString);
        _a = await BotTestHost.StartAsync(_botA, _channel.BotConfiguration(),
            services => services.AddPastDueBotStorage(storageConfiguration, new TestHostEnvironment(Path.GetTempPath())));
        _b = await BotTestHost.StartAsync(_botB, _channel.BotConfiguration(),
            services => services.AddPastDueBotStorage(storageConfiguration, new TestHostEnvironment(Path.GetTempPath())));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _connector.DisposeAsync();
        await _channel.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(BotTestHost host, Activity activity) =>
        _channel.PostActivityAsync(host.MessagesEndpoint, activity, _channel.CreateToken(_connector.ServiceUrl));

    [PostgresFact]
    public async Task Concurrent_turns_of_one_conversation_alternating_between_instances_run_one_at_a_time()
    {
        var inside = 0;
        var overlaps = 0;
        // A blind read-then-overwrite (no ETag): only the turn lock keeps increments from being lost.
        async Task CountAsync(ITurnContext turn, IStorage storage, CancellationToken ct)
        {
            if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
            var read = await storage.ReadAsync(["counter"], ct);
            var n = read.TryGetValue("counter", out var item) ? int.Parse(item.Json, System.Globalization.CultureInfo.InvariantCulture) : 0;
            await Task.Yield();
            await storage.WriteAsync(new Dictionary<string, StoreItem> { ["counter"] = new((n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StoreItem.AnyETag) }, ct);
            Interlocked.Decrement(ref inside);
        }
        _botA.OnMessage = (turn, ct) => CountAsync(turn, _a.Services.GetRequiredService<IStorage>(), ct);
        _botB.OnMessage = (turn, ct) => CountAsync(turn, _b.Services.GetRequiredService<IStorage>(), ct);

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            using var response = await PostAsync(i % 2 == 0 ? _a : _b, _channel.CreateMessage(_connector.ServiceUrl, $"turn {i}", conversationId: "a:shared-chat"));
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(0, overlaps);
        Assert.Equal(60, _botA.Turns.Count + _botB.Turns.Count);
        Assert.Equal("60", (await _b.Services.GetRequiredService<IStorage>().ReadAsync(["counter"]))["counter"].Json);
    }

    [PostgresFact]
    public async Task A_redelivery_to_the_other_instance_is_answered_200_and_not_run_again()
    {
        _botA.OnMessage = _botB.OnMessage = (_, _) => Task.CompletedTask;
        var activity = _channel.CreateMessage(_connector.ServiceUrl, "pay my balance", id: "1732600000000", conversationId: "a:redelivered");

        using (var first = await PostAsync(_a, activity)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var again = await PostAsync(_b, activity)) Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // And eight copies at once, split over both instances.
        var racing = _channel.CreateMessage(_connector.ServiceUrl, "retry", id: "1732600000001", conversationId: "a:redelivered");
        var json = JsonSerializer.Serialize(racing, ProtocolJson.Context.Activity);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var host = i % 2 == 0 ? _a : _b;
            using var r = await _channel.PostAsync(host.MessagesEndpoint, json, $"Bearer {_channel.CreateToken(_connector.ServiceUrl)}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }));

        Assert.Equal(["1732600000000", "1732600000001"], _botA.Turns.Concat(_botB.Turns).Select(t => t.Id!).Order());
    }
}
