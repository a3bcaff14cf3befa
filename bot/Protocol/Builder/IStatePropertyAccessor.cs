namespace PastDueBot.Protocol.Builder;

/// <summary>A typed property of a BotState scope (conversation, user), loaded once per turn (SDK: IStatePropertyAccessor).</summary>
public interface IStatePropertyAccessor<T>
{
    string Name { get; }

    /// <summary>The value, or the default factory's result (which is then stored) when absent.</summary>
    Task<T> GetAsync(ITurnContext turnContext, Func<T> defaultValueFactory, CancellationToken cancellationToken = default);

    Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default);

    Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default);
}
