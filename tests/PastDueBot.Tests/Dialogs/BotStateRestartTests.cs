using System.Text.Json;
using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;
using PastDueBot.Storage.Documents;
using PastDueBot.Storage.Sql;
using PastDueBot.Tests.State;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Dialogs;

/// <summary>The dialog stack through the real ConversationState on a real SQLite file, with a "new process" every turn.</summary>
public sealed class BotStateRestartTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private static Dialog BuildBot()
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow",
        [
            (step, ct) =>
            {
                step.Values.SetValue("attempt", 1);
                return step.PromptAsync("pick", new PromptOptions
                {
                    Prompt = Activity.CreateMessageActivity("Which subscription?"),
                    Choices = [new Choice("sub-1", "Microsoft 365 Business"), new Choice("sub-2", "Exchange Online")],
                }, ct);
            },
            (step, ct) =>
            {
                step.Values.SetValue("subscription", step.GetResult<FoundChoice>()!.Value);
                var card = Activity.CreateMessageActivity();
                card.Attachments = [Attachment.AdaptiveCard(JsonSerializer.SerializeToElement(new
                {
                    type = "AdaptiveCard",
                    version = "1.5",
                    actions = new object[] { new { type = "Action.Execute", title = "Retry payment", verb = "retry" } },
                }))];
                return step.PromptAsync("card", new PromptOptions { Prompt = card, PromptId = "retry-card" }, ct);
            },
            (step, ct) => step.PromptAsync("confirm", PromptOptions.FromText("Pay now?"), ct),
            async (step, ct) =>
            {
                var summary = $"{step.Values.GetValue<string>("subscription")} attempt {step.Values.GetValue<int>("attempt")} confirmed {step.Result}";
                await step.Context.SendActivityAsync(summary, ct);
                return await step.EndDialogAsync(summary, ct);
            },
        ]));
        root.AddDialog(new ChoicePrompt("pick"));
        root.AddDialog(new CardSubmitPrompt("card"));
        root.AddDialog(new ConfirmPrompt("confirm"));
        return root;
    }

    private async Task<TestTurnContext> TurnAsync(Activity activity)
    {
        // Everything but the file is new each turn, as after a restart.
        var conversationState = new ConversationState(new SqlStorage(new SqliteDatabase(_file.Path)));
        var context = new TestTurnContext(activity);
        await BuildBot().RunAsync(context, conversationState.CreateProperty<DialogState>("DialogState"));
        await conversationState.SaveChangesAsync(context);
        return context;
    }

    [Fact]
    public async Task A_conversation_survives_a_restart_between_every_turn()
    {
        var client = new DialogTestClient(BuildBot, locale: "nl-NL");

        Assert.Equal(["Which subscription?"], (await TurnAsync(client.NewActivity(ActivityTypes.Message, "hallo"))).Sent.Select(a => a.Text));
        Assert.Single((await TurnAsync(client.NewActivity(ActivityTypes.Message, "exchange online"))).Sent.Single().Attachments!);

        var invoke = client.NewActivity(ActivityTypes.Invoke);
        invoke.Name = "adaptiveCard/action";
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = "retry", data = new { promptId = "retry-card" } }, trigger = "manual" });
        var executed = await TurnAsync(invoke);
        Assert.Equal(["Pay now?"], executed.Sent.Select(a => a.Text));
        Assert.Equal("Ontvangen.", executed.InvokeResponse!.Body!.Value.GetProperty("value").GetString());

        var done = await TurnAsync(client.NewActivity(ActivityTypes.Message, "ja"));
        Assert.Equal(["sub-2 attempt 1 confirmed True"], done.Sent.Select(a => a.Text));
    }
}
