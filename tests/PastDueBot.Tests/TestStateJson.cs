using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using PastDueBot.Protocol.Storage;
using PastDueBot.Tests.Dialogs;
using PastDueBot.Tests.State;

namespace PastDueBot.Tests;

/// <summary>The tests' own state types, added to what state can hold the way each layer of the bot adds its own.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<SqliteStateTests.WaterfallInstance>))]
[JsonSerializable(typeof(BotStateTests.DialogStack))]
[JsonSerializable(typeof(WaterfallDialogTests.ChildOptions))]
internal sealed partial class TestStateJsonContext : JsonSerializerContext
{
    [ModuleInitializer]
    internal static void AddToState() => StateJson.AddTypes(Default);
}
