using Microsoft.Extensions.Options;

namespace PastDueBot.Alerts.Outbox;

/// <summary>
/// Teams' limits, kept before every request rather than learnt from 429s. Each HTTP attempt of an alert takes one
/// permit (the alerts' connector client makes no retries of its own, the outbox retries), so retries count too:
/// <list type="bullet">
/// <item>per tenant: <see cref="AlertsOptions.TenantRequestsPerSecond"/>, evenly spaced;</item>
/// <item>per conversation (for Teams a channel is one conversation, whatever thread in it is posted to):
/// <see cref="AlertsOptions.ThreadRequestsPerSecond"/> a second, and Teams' longer windows 8 per 2 s, 60 per 30 s,
/// 1800 per hour;</item>
/// <item>a 429 or 503 with Retry-After pauses the whole tenant for that long (<see cref="Pause"/>): Teams does not say
/// which limit was hit, and the tenant's budget is shared with traffic this limiter does not see (replies in chats,
/// other instances), so the fan-out stops rather than just the one request.</item>
/// </list>
/// Windows are counted exactly on the times permits were granted and lengthened by <see cref="Margin"/>: Teams counts
/// requests as they reach it, and delays on the way can bunch requests that left evenly spaced. The longest such delay
/// is a cold start (connection, TLS, first-call compilation: about a second measured here), so after a quiet
/// <see cref="ColdAfter"/> a tenant's first request goes alone and the next wait for its answer (at most
/// <see cref="WarmUpWait"/>); otherwise what was permitted during that second would arrive together with it.
/// </summary>
public sealed class SendLimiter
{
    /// <summary>Added to every window, for the network and scheduling delays between a permit and Teams counting the request.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(100);

    /// <summary>A request should leave within this long of its permit; a send held up longer (a slow database write) takes a fresh one.</summary>
    public static readonly TimeSpan PermitLifetime = TimeSpan.FromMilliseconds(50);

    /// <summary>A tenant without a permit for this long starts cold again (SocketsHttpHandler closes idle connections after a minute).</summary>
    public static readonly TimeSpan ColdAfter = TimeSpan.FromMinutes(1);

    /// <summary>The longest the rest of a cold tenant waits for its first request's answer.</summary>
    public static readonly TimeSpan WarmUpWait = TimeSpan.FromSeconds(5);

    private static readonly SendRule[] TeamsLongerThreadWindows =
    [
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    private readonly Dictionary<string, SendWindow> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SendWindow> _conversations = new(StringComparer.Ordinal);
    private readonly SendRule[] _tenantRules;
    private readonly TimeSpan _tenantSpacing;
    private readonly SendRule[] _conversationRules;
    private readonly TimeProvider _time;
    private long _nextPruneTicks; // UTC ticks; read and written atomically

    public SendLimiter(IOptions<AlertsOptions> options, TimeProvider time)
    {
        _time = time;
        var perSecond = options.Value.TenantRequestsPerSecond;
        var second = TimeSpan.FromSeconds(1) + Margin;
        _tenantRules = [new(Math.Max(1, (int)Math.Floor(perSecond)), second)];
        _tenantSpacing = second / perSecond;
        _conversationRules =
        [
            new(Math.Max(1, options.Value.ThreadRequestsPerSecond), second),
            .. TeamsLongerThreadWindows.Select(rule => rule with { Window = rule.Window + Margin }),
        ];
    }

    /// <summary>
    /// Waits for a permit of the conversation, then of the tenant, and records both at the same instant: the permit's
    /// <see cref="SendPermit.GrantedAt"/>, which is when the request should leave. Waiters are served in order per
    /// conversation and per tenant. Dispose the permit when the request has been answered (or failed).
    /// </summary>
    public async Task<SendPermit> WaitAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = Rent(_conversations, conversationId, () => new SendWindow(_conversationRules, TimeSpan.Zero));
        var tenant = Rent(_tenants, tenantId, () => new SendWindow(_tenantRules, _tenantSpacing));
        try
        {
            await conversation.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // The conversation's own wait first, without holding up the rest of the tenant.
                await UntilAsync(conversation.NextPermitAt, cancellationToken).ConfigureAwait(false);
                await tenant.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    DateTimeOffset grantedAt;
                    var awaitFirstAnswer = true;
                    while (true)
                    {
                        grantedAt = await UntilAsync(() => Later(conversation.NextPermitAt(), tenant.NextPermitAt()), cancellationToken).ConfigureAwait(false);
                        if (!awaitFirstAnswer || tenant.FirstAnswer is not { } warming) break;
                        try { await warming.WaitAsync(WarmUpWait, _time, cancellationToken).ConfigureAwait(false); }
                        catch (TimeoutException) { awaitFirstAnswer = false; } // no answer yet: go on; the margin and Retry-After still hold
                    }
                    var answered = tenant.IsCold(grantedAt, ColdAfter) ? tenant.AwaitFirstAnswer() : null;
                    conversation.Record(grantedAt);
                    tenant.Record(grantedAt);
                    return new SendPermit(grantedAt, answered);
                }
                finally
                {
                    tenant.Turn.Release();
                }
            }
            finally
            {
                conversation.Turn.Release();
            }
        }
        finally
        {
            Return(_conversations, conversation);
            Return(_tenants, tenant);
            PruneNowAndThen();
        }
    }

    /// <summary>The permit is too old to send on.</summary>
    public bool IsStale(SendPermit permit) => _time.GetUtcNow() - permit.GrantedAt > PermitLifetime;

    /// <summary>Teams asked to wait (Retry-After): no permit for this tenant before then, for any conversation.</summary>
    public void Pause(string tenantId, TimeSpan retryAfter)
    {
        var tenant = Rent(_tenants, tenantId, () => new SendWindow(_tenantRules, _tenantSpacing));
        tenant.Pause(_time.GetUtcNow() + retryAfter);
        Return(_tenants, tenant);
    }

    /// <summary>When the tenant's pause ends, if it is paused now.</summary>
    public DateTimeOffset? PausedUntil(string tenantId)
    {
        lock (_tenants)
        {
            return _tenants.TryGetValue(tenantId, out var tenant) && tenant.PausedUntil > _time.GetUtcNow() ? tenant.PausedUntil : null;
        }
    }

    /// <summary>Waits until <paramref name="next"/> (re-read after every wake-up: a pause may have begun) is due; returns that moment.</summary>
    private async Task<DateTimeOffset> UntilAsync(Func<DateTimeOffset> next, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            var due = next();
            if (due <= now) return now;
            await Task.Delay(due - now, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SendWindow Rent(Dictionary<string, SendWindow> windows, string key, Func<SendWindow> create)
    {
        lock (windows)
        {
            if (!windows.TryGetValue(key, out var window)) windows[key] = window = create();
            window.Users++;
            return window;
        }
    }

    private static void Return(Dictionary<string, SendWindow> windows, SendWindow window)
    {
        lock (windows) window.Users--;
    }

    /// <summary>Forgets, once a minute, windows nobody uses whose history no longer limits anything (channels come and go).</summary>
    private void PruneNowAndThen()
    {
        var now = _time.GetUtcNow();
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks, due) != due) return;
        foreach (var windows in new[] { _conversations, _tenants })
        {
            lock (windows)
            {
                foreach (var key in windows.Where(pair => pair.Value.Users == 0 && pair.Value.IsIdle(now)).Select(pair => pair.Key).ToList())
                {
                    windows.Remove(key);
                }
            }
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>Leave to send one request now. Dispose it once the request was answered (or failed): a cold tenant's next requests wait for that.</summary>
public sealed class SendPermit(DateTimeOffset grantedAt, TaskCompletionSource? answered) : IDisposable
{
    public DateTimeOffset GrantedAt { get; } = grantedAt;

    public void Dispose() => answered?.TrySetResult();
}
