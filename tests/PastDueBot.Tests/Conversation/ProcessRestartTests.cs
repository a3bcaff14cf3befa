using Microsoft.Data.Sqlite;
using PastDueBot.Conversation.Cards;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Conversation;

/// <summary>
/// Issue 3: the bot process killed after any step (SIGKILL: no shutdown, no flush) and started again on the same
/// SQLite file continues the conversation at that step. The bot runs as a real child process, configured through the
/// environment, driven over HTTP with its replies caught by the loopback connector.
/// </summary>
public sealed class ProcessRestartTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pastduebot-process-" + Guid.NewGuid().ToString("N"));
    private LoopbackConnector _connector = null!;
    private BotProcess? _process;

    private string DatabasePath => Path.Combine(_folder, "pastduebot.db");

    private static string NextYear => (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _connector = await LoopbackConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        await _connector.DisposeAsync();
        TestFiles.TryDeleteDirectory(_folder);
    }

    private async Task<BotProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _process = await BotProcess.StartAsync(DatabasePath, _connector, settings);
        return _process;
    }

    /// <summary>SIGKILLs the running bot and starts a new process on the same file; the chat moves to it.</summary>
    private async Task<TeamsChat> KillAndRestartAsync(TeamsChat chat, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await _process!.KillAsync();
        await _process.DisposeAsync();
        _process = null;
        return chat.On(await StartAsync(settings));
    }

    private static BotReply CardWith(IEnumerable<BotReply> replies, string text) =>
        replies.LastOrDefault(reply => reply.Card is not null && reply.Json.Contains(text, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No card containing '{text}' in: {string.Join("\n", replies.Select(reply => reply.Json))}");

    private static string Premium(BotReply list) =>
        (string)TeamsChat.Descendants(list.Card).Single(node => ((string?)node["title"])?.StartsWith("Microsoft 365 Business Premium", StringComparison.Ordinal) == true && node["value"] is not null)["value"]!;

    /// <summary>Charges the demo ledger recorded as paid, read from the database file itself.</summary>
    private int PaidCharges()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM payments WHERE outcome = 'Paid'";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Killed_after_every_step_a_new_process_on_the_same_file_continues_at_that_step()
    {
        var chat = new TeamsChat(await StartAsync(), "process-restart-1", "en-US");

        var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
        chat = await KillAndRestartAsync(chat);

        var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = Premium(list) }), CardIds.ActionEditExpiry);
        chat = await KillAndRestartAsync(chat);

        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
        chat = await KillAndRestartAsync(chat);

        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Review and pay");
        Assert.Contains($"04/{NextYear[2..]}", review.Json, StringComparison.Ordinal);
        chat = await KillAndRestartAsync(chat);

        const string saveId = "save-click-1";
        var saved = await chat.SubmitAsync(review, CardIds.Save, activityId: saveId);
        var receipt = CardWith(saved, "Payment received");
        Assert.Contains("48 hours", receipt.Json, StringComparison.Ordinal);
        Assert.Contains("$264.00", receipt.Json, StringComparison.Ordinal);
        Assert.Equal(1, PaidCharges());
        chat = await KillAndRestartAsync(chat);

        // Teams redelivers the Save activity (same id) to the new process: answered 200, not run again.
        Assert.Empty(await chat.SubmitAsync(review, CardIds.Save, activityId: saveId));
        // The person clicks Save on the old card again: the step is done, nothing is charged.
        Assert.Contains("already done", Assert.Single(await chat.SubmitAsync(review, CardIds.Save)).Json, StringComparison.Ordinal);
        Assert.Equal(1, PaidCharges());

        // Only the other subscription is still past due.
        var left = CardWith(await chat.SayAsync("settle"), "Microsoft Teams Phone Standard").Json;
        Assert.DoesNotContain("Microsoft 365 Business Premium", left, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_while_the_charge_runs_Save_again_on_the_new_process_pays_once()
    {
        var slow = new Dictionary<string, string?> { ["Billing:Demo:ProcessorDelay"] = "00:00:30", ["Settle:PaymentWait"] = "00:00:00.100" };
        var chat = new TeamsChat(await StartAsync(slow), "process-restart-2", "en-US");
        var list = CardWith(await chat.SayAsync("settle"), "Input.ChoiceSet");
        var actions = CardWith(await chat.SubmitAsync(list, CardIds.ChooseSubscription, new Dictionary<string, string> { [CardIds.SubscriptionId] = Premium(list) }), CardIds.ActionEditExpiry);
        var form = CardWith(await chat.SubmitAsync(actions, CardIds.ChooseAction, choice: CardIds.ActionEditExpiry), CardIds.ExpiryMonth);
        var review = CardWith(await chat.SubmitAsync(form, CardIds.SubmitExpiry, new Dictionary<string, string> { [CardIds.ExpiryMonth] = "04", [CardIds.ExpiryYear] = NextYear }), "Review and pay");

        // Save is acknowledged while the processor is still busy; the process dies before the charge completes.
        var acknowledged = await chat.SubmitAsync(review, CardIds.Save);
        Assert.Contains("Working on it", CardWith(acknowledged, "Payment in progress").Json, StringComparison.Ordinal);
        chat = await KillAndRestartAsync(chat);
        Assert.Equal(0, PaidCharges());

        // On the new process Save is clicked again (twice, as impatient people do): one charge, one receipt.
        var first = await chat.SubmitAsync(review, CardIds.Save);
        var second = await chat.SubmitAsync(review, CardIds.Save);
        var receipt = CardWith(first.Concat(second), "Payment received");
        Assert.Contains("48 hours", receipt.Json, StringComparison.Ordinal);
        Assert.Single(first.Concat(second), reply => reply.Json.Contains("Payment received", StringComparison.Ordinal));
        Assert.Equal(1, PaidCharges());
    }

    [Fact]
    public async Task Killed_in_the_middle_of_a_turn_the_redelivered_activity_runs_on_the_new_process()
    {
        var chat = new TeamsChat(await StartAsync(), "process-restart-3", "en-US");
        // The bot's reply hangs at the connector, so the turn is still running when the process dies.
        _connector.Responder = request => request.Body.Contains("Input.ChoiceSet", StringComparison.Ordinal) ? new ConnectorReply(200, Hang: true) : null;
        var before = _connector.Requests.Count;
        var cutOff = chat.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["text"] = "settle", ["id"] = "cut-off-1" });
        await WaitUntilAsync(() => _connector.Requests.Skip(before).Any(r => r.Body.Contains("Input.ChoiceSet", StringComparison.Ordinal)));
        chat = await KillAndRestartAsync(chat);
        await Assert.ThrowsAnyAsync<Exception>(() => cutOff); // the channel saw the connection drop: it redelivers
        _connector.Responder = null;

        var redelivered = await chat.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["text"] = "settle", ["id"] = "cut-off-1" });

        Assert.Contains("Microsoft 365 Business Premium", CardWith(redelivered, "Input.ChoiceSet").Json, StringComparison.Ordinal);
        // Now it completed: a further redelivery is a duplicate.
        Assert.Empty(await chat.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["text"] = "settle", ["id"] = "cut-off-1" }));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(50, timeout.Token);
    }
}
