using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>
/// Makes the loopback connector behave like Teams under load, for channel-thread creation
/// (<c>POST v3/conversations</c>), and counts what the bot did on the server side:
/// <list type="bullet">
/// <item>a per-tenant limit over a sliding second: a request beyond it is answered 429 Throttled with a Retry-After of
/// the whole seconds until the window has room (at least 1);</item>
/// <item>a share of sends failing with 429/502/504 as Teams' gateway does (the injected 429s carry
/// <c>injectedRetryAfter</c>, or no Retry-After when null), and 429s scripted for given attempt numbers;</item>
/// <item>every attempt's arrival time per tenant (<see cref="PeakAttemptsInAnySecond"/>), every 429 with its Retry-After
/// (<see cref="MostAttemptsDuringARetryAfter"/>), and a ledger of the alerts that reached "Teams" per channel.</item>
/// </list>
/// <see cref="Stall"/> holds every further request unanswered (they still arrive and count as delivered), so a test can
/// kill the bot while every send it has started is known to have landed; <see cref="Release"/> then answers the held
/// requests whose client is still there, as a success.
/// </summary>
public sealed class TeamsLikeLimits
{
    private readonly int _permittedPerSecond;
    private readonly double _failureRate;
    private readonly string? _injectedRetryAfter;
    private readonly Random _random;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> _scripted = new();
    private readonly ConcurrentBag<(string Tenant, DateTimeOffset At, TimeSpan RetryAfter)> _retryAfters = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private int _abortedHolds;
    private int _attemptNumber;

    public TeamsLikeLimits(int permittedPerSecond, double failureRate, string? injectedRetryAfter = null, int seed = 42)
    {
        _permittedPerSecond = permittedPerSecond;
        _failureRate = failureRate;
        _injectedRetryAfter = injectedRetryAfter;
        _random = new Random(seed);
    }

    public int PermittedPerSecond => _permittedPerSecond;

    /// <summary>Alerts that reached Teams, per (channel, subscription product).</summary>
    public ConcurrentDictionary<(string Channel, string Product), int> Delivered { get; } = new();

    /// <summary>When each alert was delivered (for rates).</summary>
    public ConcurrentQueue<DateTimeOffset> DeliveredAt { get; } = new();

    /// <summary>When each attempt arrived, per tenant: deliveries, failures and throttled requests alike.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Attempts { get; } = new(StringComparer.Ordinal);

    public int DeliveredCount => DeliveredAt.Count;

    public int AttemptCount => Attempts.Values.Sum(queue => queue.Count);

    /// <summary>429s because the bot went over the limit (not injected or scripted ones).</summary>
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

    /// <summary>The <paramref name="attemptNumber"/>-th attempt (1-based, all tenants) is answered 429 with this Retry-After.</summary>
    public TeamsLikeLimits ThrottleAttempt(int attemptNumber, int retryAfterSeconds)
    {
        _scripted[attemptNumber] = retryAfterSeconds;
        return this;
    }

    public ConnectorReply? Respond(ConnectorRequest request)
    {
        if (request.Method != "POST" || !request.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal)) return null;
        var arrived = DateTimeOffset.UtcNow;
        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (body["isGroup"]?.GetValue<bool>() != true) return null;
        var tenant = (string?)body["channelData"]?["tenant"]?["id"] ?? "";
        Attempts.GetOrAdd(tenant, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(arrived);
        var number = Interlocked.Increment(ref _attemptNumber);

        if (Stall)
        {
            Record(body);
            var held = Interlocked.Increment(ref StalledCount);
            var created = new JsonObject { ["id"] = $"19:held-{held}@thread.tacv2;messageid={held}", ["activityId"] = held.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            return new ConnectorReply(200, created.ToJsonString()) { Hold = HoldAsync };
        }

        if (_scripted.TryGetValue(number, out var scripted)) return Throttle(tenant, TimeSpan.FromSeconds(scripted));

        lock (_gate)
        {
            if (!_windows.TryGetValue(tenant, out var window)) _windows[tenant] = window = new Queue<DateTimeOffset>();
            var now = DateTimeOffset.UtcNow;
            while (window.Count > 0 && now - window.Peek() >= TimeSpan.FromSeconds(1)) window.Dequeue();
            if (window.Count >= _permittedPerSecond)
            {
                Interlocked.Increment(ref Throttled);
                var room = window.Peek() + TimeSpan.FromSeconds(1) - now;
                return Throttle(tenant, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(room.TotalSeconds))));
            }
            window.Enqueue(now);
            if (_random.NextDouble() < _failureRate)
            {
                Interlocked.Increment(ref InjectedFailures);
                return _random.Next(3) switch
                {
                    0 when _injectedRetryAfter is not null => Throttle(tenant, TimeSpan.FromSeconds(int.Parse(_injectedRetryAfter, CultureInfo.InvariantCulture))),
                    0 => ConnectorReply.Error(429, "Throttled", "Too many requests."),
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

    /// <summary>The most attempts of one tenant whose arrivals fall within any one second (a sliding window).</summary>
    public int PeakAttemptsInAnySecond(string tenant)
    {
        var times = Attempts.TryGetValue(tenant, out var queue) ? queue.OrderBy(t => t).ToArray() : [];
        var peak = 0;
        for (int first = 0, last = 0; first < times.Length; first++)
        {
            while (last < times.Length && times[last] - times[first] < TimeSpan.FromSeconds(1)) last++;
            peak = Math.Max(peak, last - first);
        }
        return peak;
    }

    /// <summary>
    /// Over every 429 that carried a Retry-After, the most attempts of its tenant that arrived from <paramref name="after"/>
    /// past the answer until the wait was over. Requests already on their way when the 429 was answered arrive at once;
    /// a bot that honours the wait sends nothing new, so later in that time nothing arrives.
    /// </summary>
    public int MostAttemptsDuringARetryAfter(TimeSpan after) => _retryAfters
        .Select(throttle => Attempts.TryGetValue(throttle.Tenant, out var queue)
            ? queue.Count(at => at > throttle.At + after && at < throttle.At + throttle.RetryAfter)
            : 0)
        .DefaultIfEmpty(0)
        .Max();

    public int RetryAfterCount => _retryAfters.Count;

    private ConnectorReply Throttle(string tenant, TimeSpan retryAfter)
    {
        _retryAfters.Add((tenant, DateTimeOffset.UtcNow, retryAfter));
        return ConnectorReply.Error(429, "Throttled", "Too many requests.",
            new Dictionary<string, string> { ["Retry-After"] = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture) });
    }

    private void Record(JsonObject body)
    {
        var channel = (string)body["channelData"]!["channel"]!["id"]!;
        var product = (string)ConnectorLog.CardOf((JsonObject)body["activity"]!)["body"]![1]!["text"]!;
        Delivered.AddOrUpdate((channel, product), 1, (_, count) => count + 1);
        DeliveredAt.Enqueue(DateTimeOffset.UtcNow);
    }
}
