namespace PastDueBot.Protocol.Builder.State;

/// <summary>A named, typed property of a <see cref="BotState"/> (SDK: BotStatePropertyAccessor).</summary>
internal sealed class BotStatePropertyAccessor<T>(BotState state, string name) : IStatePropertyAccessor<T>
{
    public string Name { get; } = name;

    public async Task<T> GetAsync(ITurnContext turnContext, Func<T> defaultValueFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(defaultValueFactory);
        var (found, value) = await state.GetPropertyAsync<T>(turnContext, Name, cancellationToken).ConfigureAwait(false);
        if (found) return value;
        // Stored at once, so the caller may change the default in place and the save still sees it.
        value = defaultValueFactory();
        await state.SetPropertyAsync(turnContext, Name, value, cancellationToken).ConfigureAwait(false);
        return value;
    }

    public Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default) =>
        state.SetPropertyAsync(turnContext, Name, value, cancellationToken);

    public Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default) =>
        state.DeletePropertyAsync(turnContext, Name, cancellationToken);
}
