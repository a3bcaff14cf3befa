using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PastDueBot.Protocol.Storage;

/// <summary>
/// The types state can hold, from several source-generated contexts: the first that knows a type describes it.
/// Contexts may be added while options built on it are in use (a layer's module initializer can run late).
/// </summary>
internal sealed class StateTypeResolver(IJsonTypeInfoResolver first) : IJsonTypeInfoResolver
{
    private ImmutableArray<IJsonTypeInfoResolver> _resolvers = [first];

    public void Add(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ImmutableInterlocked.Update(ref _resolvers, static (list, added) => list.Contains(added) ? list : list.Add(added), resolver);
    }

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.GetTypeInfo(type, options) is { } info) return info;
        }
        return null;
    }
}
