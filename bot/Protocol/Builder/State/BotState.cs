using System.Text.Json;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// A scope of state (conversation, user) stored as one JSON document per key (SDK: BotState). Loaded once per
/// turn and cached in <see cref="ITurnContext.TurnState"/>; saved only when its JSON changed.
/// Unlike the SDK, a save is conditional on the ETag the turn read (create-only if the document was absent),
/// so a turn that worked on stale state gets a <see cref="StorageConflictException"/> instead of overwriting a
/// newer update. The caller then either re-runs its change on fresh state
/// (<see cref="StorageRetry"/> around <c>LoadAsync(turn, force: true)</c> + change + <c>SaveChangesAsync</c>)
/// or prevents the race by serialising turns per conversation, as the adapter does.
/// </summary>
public abstract class BotState
{
    private readonly string _cacheKey;

    protected BotState(IStorage storage, string? turnStateKey = null, JsonSerializerOptions? serializerOptions = null)
    {
        Storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _cacheKey = "BotState:" + (turnStateKey ?? GetType().Name);
        SerializerOptions = serializerOptions ?? StateJson.Options;
    }

    public IStorage Storage { get; }

    public JsonSerializerOptions SerializerOptions { get; }

    /// <summary>A typed property of this scope, stored as JSON under <paramref name="name"/>.</summary>
    public IStatePropertyAccessor<T> CreateProperty<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new BotStatePropertyAccessor<T>(this, name);
    }

    /// <summary>The storage key of this scope for the turn's activity; throws if the activity lacks what it needs.</summary>
    public string GetStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return MissingKeyPart(turnContext.Activity) is { } missing ? throw new InvalidOperationException(missing) : StorageKey(turnContext.Activity);
    }

    /// <summary>Whether the turn's activity carries what this scope's key needs, found without building the key.</summary>
    public bool HasStorageKey(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return MissingKeyPart(turnContext.Activity) is null;
    }

    /// <summary>Why <paramref name="activity"/> cannot key this scope, or null when it can.</summary>
    protected abstract string? MissingKeyPart(Activity activity);

    /// <summary>The key, for an activity that has every part of it.</summary>
    protected abstract string StorageKey(Activity activity);

    /// <summary>Reads the document into the turn's cache, unless it is cached already and <paramref name="force"/> is false.</summary>
    public async Task LoadAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (!force && Cached(turnContext) is not null) return;
        var key = GetStorageKey(turnContext);
        var items = await Storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        Loaded(turnContext, items);
    }

    internal bool IsLoaded(ITurnContext turnContext) => Cached(turnContext) is not null;

    /// <summary>Caches this scope's document from a read that included its key (absent: an empty document).</summary>
    internal void Loaded(ITurnContext turnContext, IReadOnlyDictionary<string, StoreItem> items)
    {
        var key = GetStorageKey(turnContext);
        var state = items.TryGetValue(key, out var item)
            ? CachedBotState.Parse(item.Json, item.ETag ?? throw new InvalidOperationException($"Storage returned '{key}' without an ETag."))
            : CachedBotState.Empty(etag: null, dirty: false);
        turnContext.TurnState.Set(_cacheKey, state);
    }

    /// <summary>
    /// Writes the cached document if its JSON changed since it was read (or always with <paramref name="force"/>),
    /// on the ETag it was read with.
    /// </summary>
    /// <exception cref="StorageConflictException">Someone else wrote the document since this turn read it.</exception>
    public async Task SaveChangesAsync(ITurnContext turnContext, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (PrepareWrite(turnContext, force) is not { } write) return;
        await WriteBatchAsync(Storage, turnContext, [write], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes state documents of one storage, with the turn's pending writes there, in one atomic batch.</summary>
    internal static async Task WriteBatchAsync(IStorage storage, ITurnContext turnContext, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken)
    {
        var batch = writes.ToDictionary(w => w.Key, w => w.Item, StringComparer.Ordinal);
        var turnWrites = turnContext.TurnState.Get<TurnStorageWrites>();
        var extra = turnWrites?.PendingFor(storage).Where(w => !batch.ContainsKey(w.Key)).ToList() ?? [];
        foreach (var (key, item) in extra) batch[key] = item;
        var etags = await storage.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var write in writes) Committed(write, etags[write.Key]);
        turnWrites?.Committed(storage, extra.Select(w => w.Key));
    }

    /// <summary>Empties the cached document; the next save writes the empty document (on the ETag read).</summary>
    public void ClearState(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var etag = Cached(turnContext)?.ETag;
        turnContext.TurnState.Set(_cacheKey, CachedBotState.Empty(etag, dirty: true));
    }

    /// <inheritdoc cref="ClearState"/>
    public async Task ClearStateAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        await LoadAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
        ClearState(turnContext);
    }

    /// <summary>Deletes the document from storage and from the turn's cache (unconditionally, as the SDK does).</summary>
    public async Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        turnContext.TurnState.Remove(_cacheKey);
        await Storage.DeleteAsync([GetStorageKey(turnContext)], cancellationToken).ConfigureAwait(false);
    }

    internal async Task<(bool Found, T Value)> GetPropertyAsync<T>(ITurnContext turnContext, string name, CancellationToken cancellationToken)
    {
        var state = await LoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return state.TryGet<T>(name, SerializerOptions, out var value) ? (true, value) : (false, default!);
    }

    internal async Task SetPropertyAsync<T>(ITurnContext turnContext, string name, T value, CancellationToken cancellationToken)
    {
        var state = await LoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        state.Set(name, value);
    }

    internal async Task DeletePropertyAsync(ITurnContext turnContext, string name, CancellationToken cancellationToken)
    {
        var state = await LoadedAsync(turnContext, cancellationToken).ConfigureAwait(false);
        state.Remove(name);
    }

    /// <summary>The write this turn owes storage, or null when nothing changed.</summary>
    internal PendingWrite? PrepareWrite(ITurnContext turnContext, bool force)
    {
        if (Cached(turnContext) is not { } state) return null;
        var json = state.Serialize(SerializerOptions);
        if (!force && string.Equals(json, state.Stored, StringComparison.Ordinal)) return null;
        return new PendingWrite(this, state, GetStorageKey(turnContext), new StoreItem(json, state.ETag));
    }

    /// <summary>Records a successful write, so the next save in this turn is conditional on the new ETag.</summary>
    internal static void Committed(PendingWrite write, string etag)
    {
        write.State.ETag = etag;
        write.State.Stored = write.Item.Json;
    }

    /// <summary>The turn's copy of the document, if loaded.</summary>
    internal CachedBotState? Cached(ITurnContext turnContext) => turnContext.TurnState.Get<CachedBotState>(_cacheKey);

    private async Task<CachedBotState> LoadedAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        await LoadAsync(turnContext, force: false, cancellationToken).ConfigureAwait(false);
        return Cached(turnContext)!;
    }

    internal sealed record PendingWrite(BotState Owner, CachedBotState State, string Key, StoreItem Item);
}
