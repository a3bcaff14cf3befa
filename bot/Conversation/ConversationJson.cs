using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using PastDueBot.Conversation.Bot;
using PastDueBot.Conversation.Settle;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Conversation;

/// <summary>What this layer keeps in conversation and user state and in its dialogs' state, generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SettleStart))]
[JsonSerializable(typeof(PayRound))]
[JsonSerializable(typeof(PendingPayment))]
[JsonSerializable(typeof(LanguagePreference))]
[JsonSerializable(typeof(PastDueBotHandler.WelcomeRecord))]
internal sealed partial class ConversationJsonContext : JsonSerializerContext
{
    /// <summary>
    /// State can hold these types from before any code of this layer runs, whichever host or test loads it:
    /// a registration in the composition root could be missed, and the first store of a type it missed would fail.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Registers this layer's state types with the protocol layer before any of them can be stored.")]
    internal static void AddToState() => StateJson.AddTypes(Default);
}
