using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;
using PastDueBot.Protocol.Storage;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;

namespace PastDueBot.Benchmarks;

/// <summary>
/// What every turn does with conversation state: load the document, read the dialog stack, change it, save it on
/// its ETag. The document is a real one, captured from a conversation waiting at the "How do you want to pay?" card.
/// </summary>
[MemoryDiagnoser]
public class BotStateBenchmarks
{
    private string? _sqlitePath;
    private SqliteDatabase? _database;
    private ConversationState _state = null!;
    private IStatePropertyAccessor<DialogState> _dialog = null!;
    private Activity _activity = null!;
    private int _turn;

    [Params("Memory", "Sqlite")]
    public string Storage { get; set; } = "Memory";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        IStorage storage;
        if (Storage == "Sqlite")
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), $"pastduebot-bench-{Guid.NewGuid():N}.db");
            _database = new SqliteDatabase(_sqlitePath);
            var sql = new SqlStorage(_database);
            await sql.EnsureSchemaAsync();
            storage = sql;
        }
        else
        {
            storage = new MemoryStorage();
        }

        _state = new ConversationState(storage);
        _dialog = _state.CreateProperty<DialogState>("DialogState");
        _activity = JsonSerializer.Deserialize(Samples.Bytes("teams-submit.json"), ProtocolJson.Context.Activity)!;

        // Seed the captured mid-flow document through BotState itself.
        var document = JsonNode.Parse(Samples.Text("conversation-state.json"))!;
        var seeded = document["DialogState"].Deserialize<DialogState>(_state.SerializerOptions)!;
        var context = new StateTurnContext(_activity);
        await _state.LoadAsync(context);
        await _dialog.SetAsync(context, seeded);
        await _state.SaveChangesAsync(context);
    }

    [Benchmark(Description = "BotState load + change + save")]
    public async Task LoadChangeSaveAsync()
    {
        var context = new StateTurnContext(_activity);
        await _state.LoadAsync(context);
        var dialog = await _dialog.GetAsync(context, static () => new DialogState());
        // A turn moves the dialog on; a changed value makes the save a real write.
        dialog.DialogStack[0].State["turn"] = ++_turn;
        await _dialog.SetAsync(context, dialog);
        await _state.SaveChangesAsync(context);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_sqlitePath is null) return;
        _database?.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_sqlitePath + suffix);
    }
}
