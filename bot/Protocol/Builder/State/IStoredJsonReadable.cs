using System.Text.Json;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// A state property type that reads itself from its part of the stored document. System.Text.Json gives every
/// JsonNode or JsonElement member its own copy of the bytes it covers; a type that keeps views into the document
/// instead (as <c>JsonObject.Create(element)</c> does) saves those copies on every turn.
/// </summary>
public interface IStoredJsonReadable<TSelf> where TSelf : IStoredJsonReadable<TSelf>
{
    /// <summary>The value stored as <paramref name="json"/>, written with <paramref name="options"/>.</summary>
    static abstract TSelf ReadStored(JsonElement json, JsonSerializerOptions options);
}

/// <summary>How <see cref="CachedBotState"/> reads a property of type <typeparamref name="T"/>: once decided per type.</summary>
internal static class StoredJsonReader<T>
{
    public static readonly Func<JsonElement, JsonSerializerOptions, T> Read = Create();

    private static Func<JsonElement, JsonSerializerOptions, T> Create()
    {
        var readsItself = typeof(T).GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStoredJsonReadable<>) && i.GenericTypeArguments[0] == typeof(T));
        if (!readsItself)
        {
            return static (json, options) => json.Deserialize<T>(options)!;
        }
        var method = typeof(StoredJsonReader<T>).GetMethod(nameof(ReadSelf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typeof(T));
        return method.CreateDelegate<Func<JsonElement, JsonSerializerOptions, T>>();
    }

    private static TSelf ReadSelf<TSelf>(JsonElement json, JsonSerializerOptions options) where TSelf : IStoredJsonReadable<TSelf> =>
        TSelf.ReadStored(json, options);
}
