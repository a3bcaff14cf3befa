using System.Text.Json;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Protocol.Builder.State;

/// <summary>
/// How <see cref="CachedBotState"/> reads a property of type <typeparamref name="T"/> from its part of the stored
/// document. A dialog stack, the one large property (it carries the active prompt's card), reads itself as views into
/// the document (<see cref="DialogState.ReadStored"/>): System.Text.Json would give every JsonNode member its own copy
/// of the bytes it covers, on every turn. Anything else goes through the serializer's source-generated contract.
/// </summary>
internal static class StoredJsonReader<T>
{
    public static readonly Func<JsonElement, JsonSerializerOptions, T> Read = typeof(T) == typeof(DialogState)
        ? (Func<JsonElement, JsonSerializerOptions, T>)(object)new Func<JsonElement, JsonSerializerOptions, DialogState>(DialogState.ReadStored)
        : static (json, options) => json.Deserialize(options.TypeInfoFor<T>())!;
}
