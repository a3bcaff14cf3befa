using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// Records handled activities in the conversation's own state document (property <see cref="PropertyName"/>: a
/// hashed activity id and when), so "this turn ran" commits in the same write as what the turn changed, at no cost
/// of its own: no read (the turn's states are loaded here, in one read, and the bot finds them cached), no extra
/// statement and no extra page. The conditional save of that document (its ETag) keeps two deliveries of one
/// activity from both committing, as <see cref="StorageActivityDeduplicator"/>'s create-only record does; that one
/// suits a bot without conversation state, and costs a read and a row of its own a turn (about a tenth of the
/// bot's CPU per turn, measured).
/// A turn whose state is not saved (it failed and the error handler answered, or changed nothing, or cleared its
/// state) gets its record written at the end, onto the document as stored: what a failed turn left in the turn's
/// cache is not saved with it. A conversation keeps its records for <see cref="Window"/>, at most
/// <see cref="MaxRecords"/> of them (Teams redelivers within a minute). Records kept by the other deduplicator
/// before an upgrade are not consulted; a redelivery across the upgrade runs again, and a payment it would repeat
/// is still charged once (the ledger's idempotency key).
/// </summary>
public sealed class ConversationStateDeduplicator : IActivityDeduplicator
{
    public const string PropertyName = "HandledActivities";

    /// <summary>As long as <see cref="StorageActivityDeduplicator.Window"/>: redeliveries come within a minute.</summary>
    public static readonly TimeSpan Window = StorageActivityDeduplicator.Window;

    /// <summary>About 3 KB of records at most; a conversation sends far fewer activities within a redelivery's reach.</summary>
    public const int MaxRecords = 100;

    private readonly BotStateSet _states;
    private readonly ConversationState _conversation;
    private readonly TimeProvider _time;
    private readonly IStatePropertyAccessor<Dictionary<string, long>> _records;

    public ConversationStateDeduplicator(BotStateSet states, ConversationState conversation, TimeProvider timeProvider)
    {
        _states = states ?? throw new ArgumentNullException(nameof(states));
        _conversation = conversation ?? throw new ArgumentNullException(nameof(conversation));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _records = conversation.CreateProperty<Dictionary<string, long>>(PropertyName);
    }

    public async Task<bool> TryBeginAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        // No conversation state for this activity (no channelId): nothing to record in; the bot's own load of its
        // states reports that, as it would without this guard.
        if (!_conversation.HasStorageKey(turnContext)) return true;
        var id = RecordId(turnContext.Activity);
        await LoadStatesAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var records = await _records.GetAsync(turnContext, static () => new(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        if (records.TryGetValue(id, out var at) && now - DateTimeOffset.FromUnixTimeSeconds(at) < Window) return false;

        Add(records, id, now);
        turnContext.TurnState.Set(new Pending(id, _conversation.Cached(turnContext)?.Stored));
        return true;
    }

    public async Task CompleteAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<Pending>() is not { } pending) return;
        turnContext.TurnState.Remove(typeof(Pending).FullName!);

        // Saved with the turn's state: the document was written since the record was added, with the record in it.
        // (A written document holds this hash only through this turn's record: an earlier, expired one was replaced.)
        if (_conversation.Cached(turnContext) is { Stored: { } stored } && !ReferenceEquals(stored, pending.StoredAtStart)
            && stored.Contains(pending.Id, StringComparison.Ordinal))
        {
            return;
        }

        await StorageRetry.RunAsync(async ct =>
        {
            await _conversation.LoadAsync(turnContext, force: true, ct).ConfigureAwait(false);
            var records = await _records.GetAsync(turnContext, static () => new(StringComparer.Ordinal), ct).ConfigureAwait(false);
            Add(records, pending.Id, _time.GetUtcNow());
            await _conversation.SaveChangesAsync(turnContext, force: false, ct).ConfigureAwait(false);
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The activity id hashed (128 bits, base64url): any id a channel sends makes a short, safe entry.</summary>
    public static string RecordId(Schema.Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var id = activity.Id ?? throw new InvalidOperationException("Only activities with an id are deduplicated.");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return Base64Url.EncodeToString(hash[..16]);
    }

    /// <summary>
    /// The turn's states in one read. If one of them has no key for this activity (a user state without from.id),
    /// the conversation's document is read alone, and the bot's own load reports the missing key as it always has.
    /// </summary>
    private async Task LoadStatesAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        if (_states.States.Contains(_conversation) && _states.States.All(state => state.HasStorageKey(turnContext)))
        {
            await _states.LoadAllAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _conversation.LoadAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the record, then drops records past the window and the oldest beyond <see cref="MaxRecords"/>.</summary>
    private static void Add(Dictionary<string, long> records, string id, DateTimeOffset now)
    {
        records[id] = now.ToUnixTimeSeconds();
        var oldest = (now - Window).ToUnixTimeSeconds();
        foreach (var (key, at) in records)
        {
            if (at <= oldest) records.Remove(key);
        }

        if (records.Count <= MaxRecords) return;
        foreach (var (key, _) in records.Where(r => r.Key != id).OrderBy(r => r.Value).Take(records.Count - MaxRecords).ToList())
        {
            records.Remove(key);
        }
    }

    private sealed record Pending(string Id, string? StoredAtStart);
}
