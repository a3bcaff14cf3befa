namespace PastDueBot.Conversation.Settle;

/// <summary>
/// The outcomes of charges that ended lately, by idempotency key, so the turns that follow one (the completion event,
/// a message sent while it ran) get its outcome without asking the provider again. Only the outcome is kept, in two
/// generations: the current one becomes the previous one when it holds <see cref="GenerationSize"/> outcomes or is
/// <see cref="Retention"/> old, and the previous one is forgotten. So an outcome stays for at least a generation,
/// memory is bounded at any rate of payments, and nothing needs a timer. An outcome forgotten is not lost: the
/// provider replays it for the same key.
/// </summary>
public sealed class CompletedPayments(TimeProvider time)
{
    public const int GenerationSize = 1024;

    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private Dictionary<string, SaveOutcome> _current = new(StringComparer.Ordinal);
    private Dictionary<string, SaveOutcome> _previous = new(StringComparer.Ordinal);
    private DateTimeOffset _currentSince = time.GetUtcNow();

    public bool TryGet(string idempotencyKey, out SaveOutcome outcome)
    {
        lock (_gate)
        {
            TurnOverIfOld();
            return _current.TryGetValue(idempotencyKey, out outcome!) || _previous.TryGetValue(idempotencyKey, out outcome!);
        }
    }

    public void Add(string idempotencyKey, SaveOutcome outcome)
    {
        lock (_gate)
        {
            TurnOverIfOld();
            _current[idempotencyKey] = outcome;
            if (_current.Count >= GenerationSize) TurnOver();
        }
    }

    private void TurnOverIfOld()
    {
        if (time.GetUtcNow() - _currentSince >= Retention) TurnOver();
    }

    private void TurnOver()
    {
        // The dictionaries keep their capacity when cleared: turning over allocates nothing.
        (_previous, _current) = (_current, _previous);
        _current.Clear();
        _currentSince = time.GetUtcNow();
    }
}
