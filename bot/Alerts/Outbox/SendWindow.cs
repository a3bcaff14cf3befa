namespace PastDueBot.Alerts.Outbox;

/// <summary>At most <paramref name="Count"/> requests in any window of <paramref name="Window"/>.</summary>
public readonly record struct SendRule(int Count, TimeSpan Window);

/// <summary>
/// The recent sends of one key (a tenant, or a conversation) and what they allow next: a permit is granted no earlier
/// than every <see cref="SendRule"/> allows, counted on the times earlier permits were granted (an exact sliding log,
/// not segments or buckets, which let a burst above the count into some windows), nor sooner than the spacing after
/// the last one, nor while paused. Callers take <see cref="Turn"/> to wait in order; the state is guarded by a lock
/// because <see cref="Pause"/> comes from any sender.
/// </summary>
public sealed class SendWindow
{
    private readonly SendRule[] _rules;
    private readonly TimeSpan _spacing;
    private readonly int _keep; // the most grants any rule looks back on
    private readonly TimeSpan _longest; // the longest any rule (or the spacing) looks back
    private readonly List<DateTimeOffset> _granted = []; // oldest first; only what a rule can still see
    private readonly object _gate = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource? _firstAnswer;

    public SendWindow(IReadOnlyList<SendRule> rules, TimeSpan spacing)
    {
        if (rules.Any(rule => rule.Count < 1 || rule.Window <= TimeSpan.Zero)) throw new ArgumentException("A rule needs a positive count and window.", nameof(rules));
        _rules = [.. rules];
        _spacing = spacing;
        _keep = Math.Max(1, _rules.Select(rule => rule.Count).DefaultIfEmpty(1).Max());
        _longest = _rules.Select(rule => rule.Window).Append(_spacing).Max();
    }

    /// <summary>One waiter at a time computes and waits for the next permit, in arrival order.</summary>
    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>Callers holding or about to take this window (guarded by the owner's lock, for pruning).</summary>
    internal int Users { get; set; }

    /// <summary>The earliest time the next permit may be granted.</summary>
    public DateTimeOffset NextPermitAt()
    {
        lock (_gate)
        {
            var earliest = _pausedUntil;
            if (_granted.Count > 0) earliest = Later(earliest, NthLatest(1) + _spacing);
            foreach (var rule in _rules)
            {
                if (_granted.Count >= rule.Count) earliest = Later(earliest, NthLatest(rule.Count) + rule.Window);
            }
            return earliest;
        }
    }

    public void Record(DateTimeOffset grantedAt)
    {
        lock (_gate)
        {
            _granted.Add(grantedAt);
            // Grants no rule can see any more are dropped, so a quiet conversation holds a few entries, not 1,800.
            var stale = 0;
            while (stale < _granted.Count && (_granted.Count - stale > _keep || _granted[stale] + _longest <= grantedAt)) stale++;
            _granted.RemoveRange(0, stale);
        }
    }

    /// <summary>Nothing was granted here for <paramref name="coldAfter"/>: connections to Teams may have to be opened again.</summary>
    public bool IsCold(DateTimeOffset now, TimeSpan coldAfter)
    {
        lock (_gate) return _granted.Count == 0 || NthLatest(1) + coldAfter <= now;
    }

    /// <summary>The answer the cold window's first request is awaited for, until it comes (null when none is awaited).</summary>
    public Task? FirstAnswer
    {
        get { lock (_gate) return _firstAnswer is { Task.IsCompleted: false } pending ? pending.Task : null; }
    }

    /// <summary>The permit about to be granted is a cold window's first: later ones wait for its answer (completed by the caller).</summary>
    public TaskCompletionSource AwaitFirstAnswer()
    {
        lock (_gate) return _firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>No permit before <paramref name="until"/> (a later pause wins over an earlier one).</summary>
    public void Pause(DateTimeOffset until)
    {
        lock (_gate) _pausedUntil = Later(_pausedUntil, until);
    }

    public DateTimeOffset PausedUntil
    {
        get { lock (_gate) return _pausedUntil; }
    }

    /// <summary>Nothing recorded or paused here limits any future permit: forgetting this window changes nothing.</summary>
    internal bool IsIdle(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_pausedUntil > now) return false;
            return _granted.Count == 0 || NthLatest(1) + _longest <= now;
        }
    }

    /// <summary>The n-th most recent grant (1 = the last).</summary>
    private DateTimeOffset NthLatest(int n) => _granted[^n];

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
