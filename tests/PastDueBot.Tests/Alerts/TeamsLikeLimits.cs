using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// Makes the loopback connector behave like Teams under load, for channel-thread creation
/// (<c>POST v3/conversations</c>): a per-tenant limit over a sliding second (429 Throttled with Retry-After when
/// exceeded), a share of sends failing with 429/502/504 as Teams' gateway does, and a ledger of the alerts that
/// reached "Teams" per channel. <see cref="Stall"/> holds every further request unanswered (they still arrive and
/// count as delivered), so a test can kill the bot while every send it has started is known to have landed;
/// <see cref="Release"/> then answers the held requests whose client is still there, as a success.
/// </summary>
public sealed class TeamsLikeLimits
{
    private readonly int _permittedPerSecond;
    private readonly double _failureRate;
    private readonly Random _random;
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly object _gate = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private int _abortedHolds;

    public TeamsLikeLimits(int permittedPerSecond, double failureRate, int seed = 42)
    {
        _permittedPerSecond = permittedPerSecond;
        _failureRate = failureRate;
        _random = new Random(seed);
    }

    /// <summary>Alerts that reached Teams, per (channel, subscription product).</summary>
    public ConcurrentDictionary<(string Channel, string Product), int> Delivered { get; } = new();

    /// <summary>When each alert was delivered (for rates).</summary>
    public ConcurrentQueue<DateTimeOffset> DeliveredAt { get; } = new();

    public int DeliveredCount => DeliveredAt.Count;

    public int Throttled;
    public int InjectedFailures;
    public int StalledCount;

    /// <summary>Requests held by <see cref="Stall"/> right now.</summary>
    public int HeldNow => Volatile.Read(ref _held);

    /// <summary>Held requests whose client went away before an answer (killed, or gave up): delivered, never answered.</summary>
    public int AbortedHolds => Volatile.Read(ref _abortedHolds);

    public volatile bool Stall;

    /// <summary>Ends the stall: requests held so far get their success answer, new ones are treated as usual.</summary>
    public void Release()
    {
        Stall = false;
        _release.TrySetResult();
    }

    public ConnectorReply? Respond(ConnectorRequest request)
    {
        if (request.Method != "POST" || !request.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal)) return null;
        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (body["isGroup"]?.GetValue<bool>() != true) return null;

        if (Stall)
        {
            Record(body);
            var number = Interlocked.Increment(ref StalledCount);
            var created = new JsonObject { ["id"] = $"19:held-{number}@thread.tacv2;messageid={number}", ["activityId"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            return new ConnectorReply(200, created.ToJsonString()) { Hold = HoldAsync };
        }

        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            while (_window.Count > 0 && now - _window.Peek() >= TimeSpan.FromSeconds(1)) _window.Dequeue();
            if (_window.Count >= _permittedPerSecond)
            {
                Interlocked.Increment(ref Throttled);
                return ConnectorReply.Error(429, "Throttled", "Too many requests.", new Dictionary<string, string> { ["Retry-After"] = "1" });
            }
            _window.Enqueue(now);
            if (_random.NextDouble() < _failureRate)
            {
                Interlocked.Increment(ref InjectedFailures);
                return _random.Next(3) switch
                {
                    0 => ConnectorReply.Error(429, "Throttled", "Too many requests.", new Dictionary<string, string> { ["Retry-After"] = "1" }),
                    1 => ConnectorReply.Error(502, "BadGateway", "Bad gateway."),
                    _ => ConnectorReply.Error(504, "GatewayTimeout", "Gateway timeout."),
                };
            }
        }
        Record(body);
        return null;
    }

    private async Task HoldAsync(CancellationToken clientGone)
    {
        Interlocked.Increment(ref _held);
        try
        {
            await _release.Task.WaitAsync(clientGone);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _abortedHolds);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private void Record(JsonObject body)
    {
        var channel = (string)body["channelData"]!["channel"]!["id"]!;
        var product = (string)ConnectorLog.CardOf((JsonObject)body["activity"]!)["body"]![1]!["text"]!;
        Delivered.AddOrUpdate((channel, product), 1, (_, count) => count + 1);
        DeliveredAt.Enqueue(DateTimeOffset.UtcNow);
    }
}
