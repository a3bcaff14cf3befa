using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PastDueBot.LoadTest;

/// <summary>One activity the bot sent to the connector: how (POST/PUT), the id it got, and when it arrived.</summary>
public sealed record Received(string Method, string ActivityId, JsonObject Activity, long ArrivedAt)
{
    public const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The Adaptive Card of the activity, if it carries one.</summary>
    public JsonObject? Card => Activity["attachments"] is JsonArray attachments
        ? attachments.OfType<JsonObject>().FirstOrDefault(a => (string?)a["contentType"] == AdaptiveCardType)?["content"] as JsonObject
        : null;
}

/// <summary>What the bot posted into one conversation, in arrival order, with a way to wait for the next arrival.</summary>
public sealed class Inbox
{
    private readonly Lock _gate = new();
    private readonly List<Received> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get { lock (_gate) return _items.Count; }
    }

    public void Add(Received item)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _items.Add(item);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>The first activity at or after <paramref name="from"/> that matches, waiting for arrivals until the token fires.</summary>
    public async Task<Received> WaitForAsync(int from, Func<Received, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = from; i < _items.Count; i++)
                {
                    if (match(_items[i])) return _items[i];
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static long Now => Stopwatch.GetTimestamp();
}
