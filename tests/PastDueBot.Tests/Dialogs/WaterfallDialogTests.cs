using System.Text.Json.Nodes;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Dialogs;

public sealed class WaterfallDialogTests
{
    internal sealed record ChildOptions(string Company, int Seats);

    // Root component: a parent waterfall that runs a child waterfall with options and reports its result.
    private static Dialog BuildProfileBot()
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("main",
        [
            (step, ct) => step.BeginDialogAsync("profile", new ChildOptions("Contoso", 3), ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"profile: {step.Result}", ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        root.AddDialog(new WaterfallDialog("profile",
        [
            (step, ct) =>
            {
                step.Values.SetValue("count", 1);
                step.Values.SetValue("started", new DateOnly(2026, 11, 26));
                return step.PromptAsync("text", PromptOptions.FromText("What is your name?"), ct);
            },
            (step, ct) =>
            {
                step.Values.SetValue("name", step.GetResult<string>());
                step.Values.SetValue("count", step.Values.GetValue<int>("count") + 1);
                return step.PromptAsync("text", PromptOptions.FromText("Which city?"), ct);
            },
            (step, ct) =>
            {
                var options = step.GetOptions<ChildOptions>()!;
                var summary = $"{step.Values.GetValue<string>("name")} in {step.Result} for {options.Company} ({options.Seats} seats), " +
                              $"count {step.Values.GetValue<long>("count")}, since {step.Values.GetValue<DateOnly>("started"):yyyy-MM-dd}";
                return step.EndDialogAsync(summary, ct);
            },
        ]));
        root.AddDialog(new TextPrompt("text"));
        return root;
    }

    [Fact]
    public async Task Steps_run_in_order_and_keep_values_and_options_across_restarts()
    {
        var client = new DialogTestClient(BuildProfileBot);

        var first = await client.SendTextAsync("hi");
        Assert.Equal(["What is your name?"], first.Texts);
        Assert.Equal(InputHints.ExpectingInput, first.Activities[0].InputHint);
        Assert.Equal(DialogTurnStatus.Waiting, first.Result.Status);

        Assert.Equal(["Which city?"], (await client.SendTextAsync("Alex")).Texts);

        var last = await client.SendTextAsync("Utrecht");
        Assert.Equal(["profile: Alex in Utrecht for Contoso (3 seats), count 2, since 2026-11-26"], last.Texts);
        Assert.Equal(DialogTurnStatus.Complete, last.Result.Status);
        Assert.Equal("Alex in Utrecht for Contoso (3 seats), count 2, since 2026-11-26", last.Result.Result);
        Assert.Empty(client.StoredState["dialogStack"]!.AsArray());

        // The root starts again on the next message.
        Assert.Equal(["What is your name?"], (await client.SendTextAsync("again")).Texts);
    }

    [Fact]
    public async Task Stored_state_has_the_sdk_shape()
    {
        var client = new DialogTestClient(BuildProfileBot);
        await client.SendTextAsync("hi");
        await client.SendTextAsync("Alex");

        var root = client.StoredState["dialogStack"]!.AsArray().Single()!.AsObject();
        Assert.Equal("root", root["id"]!.GetValue<string>());
        Assert.StartsWith("root:", root["version"]!.GetValue<string>());

        // The component keeps its inner stack under "dialogs"; index 0 is the top (the prompt).
        var inner = root["state"]!["dialogs"]!["dialogStack"]!.AsArray();
        Assert.Equal(["text", "profile", "main"], inner.Select(i => i!["id"]!.GetValue<string>()));
        var profile = inner[1]!["state"]!.AsObject();
        Assert.Equal(1, profile["stepIndex"]!.GetValue<int>());
        Assert.True(Guid.TryParse(profile["instanceId"]!.GetValue<string>(), out _));
        Assert.Equal("Contoso", profile["options"]!["company"]!.GetValue<string>());
        Assert.Equal("Alex", profile["values"]!["name"]!.GetValue<string>());
        Assert.Equal("profile:3", inner[1]!["version"]!.GetValue<string>());
        Assert.Equal(0, inner[0]!["state"]!["state"]!["attemptCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task NextAsync_skips_to_the_next_step_with_a_result()
    {
        var client = new DialogTestClient(() => new WaterfallDialog("skip",
        [
            (step, ct) => step.NextAsync("skipped", ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"{step.Index}:{step.Reason}:{step.Result}", ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"{step.Index}:{step.Reason}:{step.Result}", ct);
                return await step.EndDialogAsync(null, ct);
            },
        ]));

        Assert.Equal(["1:NextCalled:skipped"], (await client.SendTextAsync("go")).Texts);
        Assert.Equal(["2:ContinueCalled:next please"], (await client.SendTextAsync("next please")).Texts);
    }

    [Fact]
    public async Task NextAsync_twice_in_one_step_is_refused()
    {
        var client = new DialogTestClient(() => new WaterfallDialog("twice",
        [
            async (step, ct) =>
            {
                await step.NextAsync(null, ct);
                return await step.NextAsync(null, ct);
            },
            (step, ct) => Task.FromResult(Dialog.EndOfTurn),
        ]));

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendTextAsync("go"));
    }

    [Fact]
    public async Task A_waiting_waterfall_ignores_non_message_activities()
    {
        var client = new DialogTestClient(() => new WaterfallDialog("wait",
        [
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("Say something", ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"got {step.Result}", ct);
                return await step.EndDialogAsync(null, ct);
            },
        ]));
        await client.SendTextAsync("start");

        foreach (var type in new[] { ActivityTypes.Typing, ActivityTypes.Event, ActivityTypes.ConversationUpdate })
        {
            var ignored = await client.SendAsync(client.NewActivity(type));
            Assert.Empty(ignored.Activities);
            Assert.Equal(DialogTurnStatus.Waiting, ignored.Result.Status);
        }

        var invoke = await client.ExecuteCardAsync("pay", new { invoice = "INV-1" });
        Assert.Empty(invoke.Activities);
        Assert.Null(invoke.InvokeResponse); // only prompts answer invokes; the bot's handler owns the rest

        Assert.Equal(["got hello"], (await client.SendTextAsync("hello")).Texts);
    }

    [Fact]
    public async Task A_waiting_waterfall_receives_an_action_submit_without_text_as_a_card_submit()
    {
        var client = new DialogTestClient(() => new WaterfallDialog("submit",
        [
            (step, ct) => Task.FromResult(Dialog.EndOfTurn),
            async (step, ct) =>
            {
                var submit = step.GetResult<CardSubmit>()!;
                await step.Context.SendActivityAsync($"{submit.Kind} {submit.Verb} {submit.GetString("month")}", ct);
                return await step.EndDialogAsync(null, ct);
            },
        ]));
        await client.SendTextAsync("start");

        var reply = await client.SubmitCardAsync(new { verb = "editExpiry", month = "04" });
        Assert.Equal(["Submit editExpiry 04"], reply.Texts);
    }

    [Fact]
    public async Task Typed_values_read_the_same_before_and_after_a_json_round_trip()
    {
        var values = new DialogValues(new JsonObject());
        values.SetValue("index", 7);
        values.SetValue("amount", 12.5m);
        values.SetValue("flags", new[] { "a", "b" });

        var restored = new DialogValues(JsonNode.Parse(values.Node.ToJsonString())!.AsObject());
        foreach (var bag in new[] { values, restored })
        {
            Assert.Equal(7, bag.GetValue<int>("index"));
            Assert.Equal(7L, bag.GetValue<long>("index"));
            Assert.Equal(12.5m, bag.GetValue<decimal>("amount"));
            Assert.Equal(["a", "b"], bag.GetValue<string[]>("flags"));
            Assert.False(bag.TryGetValue<int>("missing", out _));
            Assert.Equal(-1, bag.GetValueOrDefault("missing", -1));
        }

        Assert.Throws<KeyNotFoundException>(() => restored.GetValue<int>("missing"));
    }
}
