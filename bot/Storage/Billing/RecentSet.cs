namespace PastDueBot.Storage.Billing;

/// <summary>
/// A set that remembers what was added recently, in bounded memory: two generations of at most
/// <c>generationSize</c> items each. When the current generation fills, it becomes the previous one and the oldest is
/// forgotten; an item found in the previous generation is carried into the current one, so what is in use stays.
/// </summary>
public sealed class RecentSet<T> where T : notnull
{
    private readonly int _generationSize;
    private readonly Lock _gate = new();
    private HashSet<T> _current = [];
    private HashSet<T> _previous = [];

    public RecentSet(int generationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generationSize, 1);
        _generationSize = generationSize;
    }

    public bool Contains(T item)
    {
        lock (_gate)
        {
            if (_current.Contains(item)) return true;
            if (!_previous.Remove(item)) return false;
            AddCore(item);
            return true;
        }
    }

    public void Add(T item)
    {
        lock (_gate) AddCore(item);
    }

    private void AddCore(T item)
    {
        if (!_current.Add(item) || _current.Count < _generationSize) return;
        // The sets keep their capacity when cleared: turning over allocates nothing.
        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
