using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PastDueBot.Protocol.Storage;

/// <summary>
/// How state values become stored JSON: web defaults (camelCase, case-insensitive reads), so a stored document
/// survives restarts and renames of nothing but C# casing. Source-generated, not reflection-based: the bot then
/// serialises the same way under the JIT and as a Native AOT build. The types state and dialogs can hold are the
/// protocol's own plus those each layer adds with <see cref="AddTypes"/>; any other type is a NotSupportedException
/// naming it, the first time it is stored, in every build.
/// </summary>
public static class StateJson
{
    private static readonly StateTypeResolver Types = new(StateJsonContext.Default);

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The resolver behind <see cref="Options"/> and the dialogs' options.</summary>
    public static IJsonTypeInfoResolver TypeResolver => Types;

    /// <summary>
    /// Lets state and dialogs hold the types <paramref name="resolver"/> (a layer's JsonSerializerContext) knows.
    /// A layer adds its types before any of them can be stored: in its module initializer.
    /// </summary>
    public static void AddTypes(IJsonTypeInfoResolver resolver) => Types.Add(resolver);

    /// <summary>The contract for <typeparamref name="T"/> under <paramref name="options"/>, for the JsonTypeInfo overloads.</summary>
    public static JsonTypeInfo<T> TypeInfoFor<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 64, TypeInfoResolver = Types };
        options.MakeReadOnly();
        return options;
    }
}
