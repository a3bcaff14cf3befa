using System.Text.Json;
using PastDueBot.Protocol.Builder;

namespace PastDueBot.Tests.Dialogs;

/// <summary>
/// A state property that behaves like a BotState property across a restart: cached for the turn, then written as JSON
/// (System.Text.Json, web defaults) by <see cref="Save"/> and read back from that JSON in the next turn.
/// </summary>
public sealed class JsonRoundTripStateAccessor<T>(string name) : IStatePropertyAccessor<T>
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; } = name;

    /// <summary>What storage holds between turns.</summary>
    public string? StoredJson { get; private set; }

    private string CacheKey => $"test-state:{Name}";

    public Task<T> GetAsync(ITurnContext turnContext, Func<T> defaultValueFactory, CancellationToken cancellationToken = default)
    {
        if (turnContext.TurnState.Get<T>(CacheKey) is { } cached) return Task.FromResult(cached);
        var value = StoredJson is null ? defaultValueFactory() : JsonSerializer.Deserialize<T>(StoredJson, Json)!;
        turnContext.TurnState.Set(CacheKey, value);
        return Task.FromResult(value);
    }

    public Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default)
    {
        turnContext.TurnState.Set(CacheKey, value);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        turnContext.TurnState.Remove(CacheKey);
        StoredJson = null;
        return Task.CompletedTask;
    }

    /// <summary>Ends the turn: the value goes to "storage" as JSON; the next turn starts from that text only.</summary>
    public void Save(ITurnContext turnContext)
    {
        if (turnContext.TurnState.Get<T>(CacheKey) is { } value) StoredJson = JsonSerializer.Serialize(value, Json);
    }
}
