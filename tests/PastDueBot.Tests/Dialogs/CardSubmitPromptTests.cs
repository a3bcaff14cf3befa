using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Dialogs;

public sealed class CardSubmitPromptTests
{
    private static Activity CardActivity(string title, string actionType = "Action.Submit", string? explicitPromptId = null)
    {
        var data = new JsonObject { ["verb"] = "save" };
        if (explicitPromptId is not null) data["promptId"] = explicitPromptId;
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JsonArray(new JsonObject { ["type"] = "Input.Text", ["id"] = "month", ["label"] = title }),
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = actionType, ["title"] = "Save", ["verb"] = "save", ["data"] = data },
                new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Help", ["url"] = "https://example.test/help" }),
        };
        var activity = Activity.CreateMessageActivity();
        activity.Attachments = [Attachment.AdaptiveCard(JsonSerializer.SerializeToElement(card))];
        return activity;
    }

    /// <summary>Two card steps in a row, then a summary; the validator (if any) is shared by both prompts.</summary>
    private static Dialog TwoCards(PromptValidator<CardSubmit>? validator = null, WaterfallStep? afterFirst = null)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow",
        [
            (step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = CardActivity("first"), PromptId = "first-card" }, ct),
            afterFirst ?? (async (step, ct) =>
            {
                var submit = step.GetResult<CardSubmit>()!;
                step.Values.SetValue("first", submit.GetString("month"));
                await step.Context.SendActivityAsync($"first: {submit.Kind} {submit.Verb} {submit.GetString("month")} reply={submit.ReplyToId}", ct);
                return await step.PromptAsync("card", new PromptOptions { Prompt = CardActivity("second", "Action.Execute") }, ct);
            }),
            async (step, ct) =>
            {
                var submit = step.GetResult<CardSubmit>()!;
                await step.Context.SendActivityAsync($"second: {submit.Kind} {submit.Verb} {submit.GetString("month")} after {step.Values.GetValue<string>("first")}", ct);
                return await step.EndDialogAsync(submit, ct);
            },
        ]));
        root.AddDialog(new CardSubmitPrompt("card", validator));
        return root;
    }

    private static JsonArray Actions(Activity sent) =>
        JsonNode.Parse(sent.Attachments!.Single().Content!.Value.GetRawText())!["actions"]!.AsArray();

    [Fact]
    public async Task Action_submit_with_empty_text_is_the_step_input_and_the_card_carries_the_prompt_id()
    {
        var client = new DialogTestClient(() => TwoCards());
        var sent = (await client.SendTextAsync("start")).Activities.Single();
        Assert.Equal(InputHints.ExpectingInput, sent.InputHint);
        var actions = Actions(sent);
        Assert.Equal("first-card", actions[0]!["data"]!["promptId"]!.GetValue<string>());
        Assert.Equal("save", actions[0]!["data"]!["verb"]!.GetValue<string>());
        Assert.Null(actions[1]!["data"]); // Action.OpenUrl is untouched

        var reply = await client.SubmitCardAsync(new { verb = "save", promptId = "first-card", month = "04" }, text: null, replyToId: "bot-1");
        Assert.Equal("first: Submit save 04 reply=bot-1", reply.Texts[0]);
        Assert.Null(reply.InvokeResponse); // a message needs no invoke response
        Assert.Single(reply.Activities.Skip(1)); // the second card
    }

    [Fact]
    public async Task Action_execute_invoke_is_the_step_input_and_gets_an_invoke_response()
    {
        var client = new DialogTestClient(() => TwoCards());
        await client.SendTextAsync("start");
        var second = (await client.SubmitCardAsync(new { verb = "save", promptId = "first-card", month = "04" })).Activities[1];
        var promptId = Actions(second)[0]!["data"]!["promptId"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", promptId); // generated when the step gave none

        var reply = await client.ExecuteCardAsync("save", new { verb = "save", promptId, month = "05" });
        Assert.Equal(["second: Execute save 05 after 04"], reply.Texts);
        Assert.Equal(200, reply.InvokeResponse!.Status);
        Assert.Equal(200, reply.InvokeBody.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.activity.message", reply.InvokeBody.GetProperty("type").GetString());
        Assert.Equal("Received.", reply.InvokeBody.GetProperty("value").GetString());
        Assert.Equal(DialogTurnStatus.Complete, reply.Result.Status);
        Assert.Equal("05", ((CardSubmit)reply.Result.Result!).GetValue<string>("month"));
    }

    [Fact]
    public async Task A_step_that_answers_the_invoke_itself_keeps_its_answer()
    {
        var updated = JsonSerializer.SerializeToElement(new { type = "AdaptiveCard", version = "1.5", body = new[] { new { type = "TextBlock", text = "Saved" } } });
        var client = new DialogTestClient(() => TwoCards(afterFirst: (step, ct) =>
        {
            step.Context.SetInvokeResponse(CardInvokeResponses.Card(updated));
            return step.EndDialogAsync("done", ct);
        }));
        await client.SendTextAsync("start");

        var reply = await client.ExecuteCardAsync("save", new { promptId = "first-card" });
        Assert.Equal("application/vnd.microsoft.card.adaptive", reply.InvokeBody.GetProperty("type").GetString());
        Assert.Equal("Saved", reply.InvokeBody.GetProperty("value").GetProperty("body")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_old_cards_submit_is_stale_and_does_not_advance()
    {
        var client = new DialogTestClient(() => TwoCards());
        await client.SendTextAsync("start");
        await client.SubmitCardAsync(new { promptId = "first-card", month = "04" });

        // The first card is clicked again while the second waits.
        var staleSubmit = await client.SubmitCardAsync(new { promptId = "first-card", month = "09" });
        Assert.Equal(["That card is no longer current. Please use the latest card."], staleSubmit.Texts);

        var staleInvoke = await client.ExecuteCardAsync("save", new { promptId = "first-card", month = "09" });
        Assert.Empty(staleInvoke.Activities);
        Assert.Equal("That card is no longer current. Please use the latest card.", staleInvoke.InvokeBody.GetProperty("value").GetString());

        // A submit without a prompt id (a card no prompt sent) is taken as current.
        Assert.Equal(["second: Submit  10 after 04"], (await client.SubmitCardAsync(new { month = "10" })).Texts);
    }

    [Fact]
    public async Task A_validator_sees_stale_submits_and_can_answer_them_itself()
    {
        var seen = new List<string>();
        var client = new DialogTestClient(() => TwoCards(async (prompt, ct) =>
        {
            var submit = prompt.Recognized.Value;
            seen.Add($"{prompt.AttemptCount}:{prompt.Recognized.Succeeded}:{submit?.IsStale}");
            if (submit?.IsStale == true)
            {
                await prompt.Context.SendActivityAsync("That step is done.", ct);
                return false;
            }

            return prompt.Recognized.Succeeded;
        }));
        await client.SendTextAsync("start");
        await client.SubmitCardAsync(new { promptId = "first-card", month = "04" });

        Assert.Equal(["That step is done."], (await client.SubmitCardAsync(new { promptId = "first-card" })).Texts);
        Assert.Equal(["1:True:False", "1:False:True"], seen);
    }

    [Theory]
    [InlineData("en-US", "Please use the buttons on the card above.")]
    [InlineData("nl-NL", "Gebruik de knoppen op de kaart hierboven.")]
    public async Task Typed_text_while_a_card_waits_asks_to_use_the_card(string locale, string expected)
    {
        var client = new DialogTestClient(() => TwoCards(), locale);
        await client.SendTextAsync("start");
        Assert.Equal([expected], (await client.SendTextAsync("04/27")).Texts);
    }

    [Fact]
    public async Task Actions_anywhere_in_the_card_are_stamped_and_everything_else_is_kept()
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "Échéance: 04/27 – €264.00" }),
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = "Action.Submit", ["title"] = "Bare" },
                new JsonObject { ["type"] = "Action.Submit", ["title"] = "Null data", ["data"] = null },
                new JsonObject { ["type"] = "Action.Submit", ["title"] = "Text data", ["data"] = "as typed" },
                new JsonObject
                {
                    ["type"] = "Action.ShowCard",
                    ["card"] = new JsonObject
                    {
                        ["type"] = "AdaptiveCard",
                        ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Execute", ["verb"] = "add", ["data"] = new JsonObject { ["n"] = 1 } }),
                    },
                }),
        };
        var prompt = Activity.CreateMessageActivity();
        prompt.Attachments = [Attachment.AdaptiveCard(JsonSerializer.SerializeToElement(card))];
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow", [(step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = prompt, PromptId = "p7" }, ct)]));
        root.AddDialog(new CardSubmitPrompt("card"));

        var sent = JsonNode.Parse((await new DialogTestClient(() => root).SendTextAsync("start")).Activities.Single().Attachments!.Single().Content!.Value.GetRawText())!;

        var actions = sent["actions"]!.AsArray();
        Assert.Equal("p7", actions[0]!["data"]!["promptId"]!.GetValue<string>());
        Assert.Equal("p7", actions[1]!["data"]!["promptId"]!.GetValue<string>());
        Assert.Equal("as typed", actions[2]!["data"]!.GetValue<string>()); // string data cannot carry an id
        var nested = actions[3]!["card"]!["actions"]![0]!["data"]!;
        Assert.Equal(1, nested["n"]!.GetValue<int>());
        Assert.Equal("p7", nested["promptId"]!.GetValue<string>());
        Assert.Equal("Échéance: 04/27 – €264.00", sent["body"]![0]!["text"]!.GetValue<string>());
        Assert.Null(actions[3]!["data"]); // only submit/execute actions get data
    }

    [Fact]
    public async Task Stamping_keeps_escaped_and_non_ascii_names_and_cards_of_any_size_stay_independent()
    {
        // A name written with an escape sequence, one outside ASCII, and a card far larger than the reused buffer.
        const string escaped = """{"type":"AdaptiveCard","body":[{"type":"TextBlock","\u0074ext":"escaped name","n\u00e4me":"kept"}],"actions":[{"type":"Action.Submit","title":"Go"}]}""";
        var large = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = new string('x', 100_000) }),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Submit", ["title"] = "Big" }),
        };
        static Activity Prompt(JsonElement card)
        {
            var activity = Activity.CreateMessageActivity();
            activity.Attachments = [Attachment.AdaptiveCard(card)];
            return activity;
        }
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow",
        [
            (step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = Prompt(JsonElement.Parse(escaped)), PromptId = "p1" }, ct),
            (step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = Prompt(JsonSerializer.SerializeToElement(large)), PromptId = "p2" }, ct),
            (step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = CardActivity("small"), PromptId = "p3" }, ct),
        ]));
        root.AddDialog(new CardSubmitPrompt("card"));
        var client = new DialogTestClient(() => root);

        var first = (await client.SendTextAsync("start")).Activities.Single();
        var second = (await client.SubmitCardAsync(new { promptId = "p1" })).Activities.Single();
        var third = (await client.SubmitCardAsync(new { promptId = "p2" })).Activities.Single();

        var firstCard = JsonNode.Parse(first.Attachments!.Single().Content!.Value.GetRawText())!;
        Assert.Equal("escaped name", firstCard["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("kept", firstCard["body"]![0]!["näme"]!.GetValue<string>());
        Assert.Equal("p1", firstCard["actions"]![0]!["data"]!["promptId"]!.GetValue<string>());
        var secondCard = JsonNode.Parse(second.Attachments!.Single().Content!.Value.GetRawText())!;
        Assert.Equal(100_000, secondCard["body"]![0]!["text"]!.GetValue<string>().Length);
        Assert.Equal("p2", secondCard["actions"]![0]!["data"]!["promptId"]!.GetValue<string>());
        Assert.Equal("p3", Actions(third)[0]!["data"]!["promptId"]!.GetValue<string>());
        // Stamping later cards left the earlier ones as they were sent.
        Assert.Equal("p1", JsonNode.Parse(first.Attachments!.Single().Content!.Value.GetRawText())!["actions"]![0]!["data"]!["promptId"]!.GetValue<string>());
        Assert.Equal("p2", JsonNode.Parse(second.Attachments!.Single().Content!.Value.GetRawText())!["actions"]![0]!["data"]!["promptId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_prompt_card_is_stamped_and_sent_on_invalid_input()
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow",
        [
            (step, ct) => step.PromptAsync("card", new PromptOptions { Prompt = CardActivity("a"), RetryPrompt = CardActivity("retry", "Action.Submit", "explicit") }, ct),
            (step, ct) => step.EndDialogAsync(step.Result, ct),
        ]));
        root.AddDialog(new CardSubmitPrompt("card"));
        var client = new DialogTestClient(() => root);
        await client.SendTextAsync("start");

        var retry = (await client.SendTextAsync("typed")).Activities.Single();
        Assert.Equal("explicit", Actions(retry)[0]!["data"]!["promptId"]!.GetValue<string>()); // an explicit id in the card wins
    }

    [Fact]
    public async Task An_invoke_that_is_not_action_execute_is_answered_400_and_refreshes_are_left_to_the_bot()
    {
        var client = new DialogTestClient(() => TwoCards());
        await client.SendTextAsync("start");

        var submitInvoke = await client.ExecuteCardAsync("save", new { promptId = "first-card" }, actionType: "Action.Submit");
        Assert.Empty(submitInvoke.Activities);
        Assert.Equal(400, submitInvoke.InvokeResponse!.Status);
        Assert.Equal("NotSupported", submitInvoke.InvokeBody.GetProperty("value").GetProperty("code").GetString());

        var refresh = await client.ExecuteCardAsync("refresh", new { promptId = "first-card" }, trigger: "automatic");
        Assert.Empty(refresh.Activities);
        Assert.Null(refresh.InvokeResponse);

        // Neither counted as the card's answer: the first card still works.
        Assert.StartsWith("first: Execute save", (await client.ExecuteCardAsync("save", new { promptId = "first-card" })).Texts[0]);
    }

    [Fact]
    public async Task Shared_prompt_options_are_not_mutated_and_each_conversation_gets_its_own_prompt_id()
    {
        var shared = new PromptOptions { Prompt = CardActivity("shared") };
        Dialog Build()
        {
            var root = new ComponentDialog("root");
            root.AddDialog(new WaterfallDialog("flow", [(step, ct) => step.PromptAsync("card", shared, ct)]));
            root.AddDialog(new CardSubmitPrompt("card"));
            return root;
        }

        var first = Actions((await new DialogTestClient(Build).SendTextAsync("a")).Activities.Single())[0]!["data"]!["promptId"]!.GetValue<string>();
        var second = Actions((await new DialogTestClient(Build).SendTextAsync("b")).Activities.Single())[0]!["data"]!["promptId"]!.GetValue<string>();

        Assert.NotEqual(first, second);
        Assert.Null(shared.PromptId);
        Assert.Null(Actions(shared.Prompt!)[0]!["data"]!["promptId"]);
        // Sending addressed a copy: the shared activity still belongs to no conversation.
        Assert.Null(shared.Prompt!.Conversation);
        Assert.Null(shared.Prompt.From);
        Assert.Null(shared.Prompt.ReplyToId);
        Assert.Null(shared.Prompt.InputHint);
    }

    [Fact]
    public void Card_submits_are_read_from_both_wire_shapes()
    {
        var client = new DialogTestClient(() => TwoCards());
        var message = client.NewActivity(ActivityTypes.Message);
        message.Value = JsonSerializer.SerializeToElement(new { verb = "pay", promptId = "p1", amount = 12.5, msteams = new { type = "messageBack" } });
        Assert.True(CardSubmit.TryFromActivity(message, out var submit));
        Assert.Equal((CardSubmitKind.Submit, "pay", "p1"), (submit.Kind, submit.Verb, submit.PromptId));
        Assert.Equal(12.5m, submit.GetValue<decimal>("amount"));
        Assert.Equal("12.5", submit.GetString("amount"));

        var invoke = client.NewActivity(ActivityTypes.Invoke);
        invoke.Name = "adaptiveCard/action";
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", id = "a1", verb = "retry" }, trigger = "manual" });
        Assert.True(CardSubmit.TryFromActivity(invoke, out var execute));
        Assert.Equal((CardSubmitKind.Execute, "retry", "a1"), (execute.Kind, execute.Verb, execute.ActionId));
        Assert.Empty(execute.Data);

        Assert.False(CardSubmit.TryFromActivity(client.NewActivity(ActivityTypes.Message, "text only"), out _));
        invoke.Name = "task/fetch";
        Assert.False(CardSubmit.TryFromActivity(invoke, out _));
    }
}
