using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Dialogs;

public sealed class PromptTests
{
    /// <summary>A waterfall that asks with <paramref name="prompt"/> and echoes the value it ends with.</summary>
    private static Dialog Ask(Dialog prompt, PromptOptions options, Func<object?, string>? format = null)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("flow",
        [
            (step, ct) => step.PromptAsync(prompt.Id, options, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"=> {(format ?? (r => r?.ToString() ?? "null"))(step.Result)}", ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        root.AddDialog(prompt);
        return root;
    }

    [Fact]
    public async Task An_invalid_answer_gets_the_retry_prompt_and_counts_attempts()
    {
        var attempts = new List<int>();
        var client = new DialogTestClient(() => Ask(
            new TextPrompt("code", (prompt, ct) =>
            {
                attempts.Add(prompt.AttemptCount);
                var min = prompt.Options.GetValidations<int>();
                return Task.FromResult(prompt.Recognized.Succeeded && prompt.Recognized.Value!.Length >= min);
            }),
            new PromptOptions
            {
                Prompt = Activity.CreateMessageActivity("Code?"),
                RetryPrompt = Activity.CreateMessageActivity("At least 3 characters, please."),
                Validations = 3,
            }));

        Assert.Equal(["Code?"], (await client.SendTextAsync("start")).Texts);
        Assert.Equal(["At least 3 characters, please."], (await client.SendTextAsync("ab")).Texts);
        Assert.Equal(["At least 3 characters, please."], (await client.SubmitCardAsync(new { x = 1 })).Texts); // no text: not recognised
        Assert.Equal(["=> abc"], (await client.SendTextAsync("  abc ")).Texts);
        Assert.Equal([1, 2, 3], attempts);
    }

    [Fact]
    public async Task Without_a_retry_prompt_the_prompt_is_repeated()
    {
        var client = new DialogTestClient(() => Ask(new TextPrompt("t", (p, ct) => Task.FromResult(p.Recognized.Value == "ok")), PromptOptions.FromText("Say ok")));
        await client.SendTextAsync("start");
        Assert.Equal(["Say ok"], (await client.SendTextAsync("no")).Texts);
    }

    [Fact]
    public async Task A_validator_that_replies_itself_suppresses_the_retry_prompt()
    {
        var client = new DialogTestClient(() => Ask(
            new TextPrompt("t", async (prompt, ct) =>
            {
                if (prompt.Recognized.Value == "good") return true;
                await prompt.Context.SendActivityAsync($"'{prompt.Recognized.Value}' is not good (attempt {prompt.AttemptCount}).", ct);
                return false;
            }),
            PromptOptions.FromText("Say good", "Retry: say good")));
        await client.SendTextAsync("start");

        Assert.Equal(["'bad' is not good (attempt 1)."], (await client.SendTextAsync("bad")).Texts);
        Assert.Equal(["=> good"], (await client.SendTextAsync("good")).Texts);
    }

    [Fact]
    public async Task A_validator_that_changes_the_prompts_activities_changes_only_its_own_turn()
    {
        var client = new DialogTestClient(() => Ask(
            new TextPrompt("code", (prompt, ct) =>
            {
                // Stored options are read fresh each turn: what a validator does to them is not kept.
                Assert.Equal("Code?", prompt.Options.Prompt!.Text);
                Assert.Equal("Longer, please.", prompt.Options.RetryPrompt!.Text);
                prompt.Options.Prompt.Text = "changed";
                prompt.Options.RetryPrompt.Text = "changed retry";
                return Task.FromResult(prompt.Recognized.Value!.Length >= prompt.Options.GetValidations<int>());
            }),
            new PromptOptions
            {
                Prompt = Activity.CreateMessageActivity("Code?"),
                RetryPrompt = Activity.CreateMessageActivity("Longer, please."),
                Validations = 3,
            }));

        Assert.Equal(["Code?"], (await client.SendTextAsync("start")).Texts);
        Assert.Equal(["changed retry"], (await client.SendTextAsync("ab")).Texts);
        Assert.Equal(["changed retry"], (await client.SendTextAsync("cd")).Texts);
        Assert.Equal(["=> abcd"], (await client.SendTextAsync("abcd")).Texts);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Y", true)]
    [InlineData("ok!", true)]
    [InlineData("Ja", true)]
    [InlineData("j", true)]
    [InlineData("no", false)]
    [InlineData("N", false)]
    [InlineData("nee", false)]
    [InlineData("Nee.", false)]
    [InlineData("1", true)]
    [InlineData("2", false)]
    public async Task Confirm_understands_english_and_dutch(string answer, bool expected)
    {
        var client = new DialogTestClient(() => Ask(new ConfirmPrompt("confirm"), PromptOptions.FromText("Sure?")));
        await client.SendTextAsync("start");
        var reply = await client.SendTextAsync(answer);
        Assert.Equal([$"=> {expected}"], reply.Texts);
        Assert.Equal(expected, reply.Result.Result);
    }

    [Theory]
    [InlineData("en-US", "Yes", "No")]
    [InlineData("nl-NL", "Ja", "Nee")]
    public async Task Confirm_buttons_follow_the_locale_and_unclear_answers_are_reprompted(string locale, string yes, string no)
    {
        var client = new DialogTestClient(() => Ask(new ConfirmPrompt("confirm"), PromptOptions.FromText("?")), locale);
        var prompt = (await client.SendTextAsync("start")).Activities.Single();
        Assert.Equal([yes, no], prompt.SuggestedActions!.Actions!.Select(a => a.Title));
        Assert.All(prompt.SuggestedActions.Actions!, a => Assert.Equal("imBack", a.Type));

        var retry = await client.SendTextAsync("maybe");
        Assert.Equal(["?"], retry.Texts);
        Assert.Equal(["=> True"], (await client.SendTextAsync(yes.ToLowerInvariant())).Texts);
    }

    private static readonly PromptOptions CardChoices = new()
    {
        Prompt = Activity.CreateMessageActivity("Which card?"),
        Choices =
        [
            new Choice("retry", "Retry the same card", ["opnieuw"]),
            new Choice("other", "Use another card", ["andere kaart"]),
            new Choice("new", "Add a new card", ["nieuwe kaart"]),
        ],
    };

    [Theory]
    [InlineData("retry", "retry", 0)]
    [InlineData("USE ANOTHER CARD", "other", 1)]
    [InlineData(" 3 ", "new", 2)]
    [InlineData("3.", "new", 2)]
    [InlineData("Andere kaart", "other", 1)]
    [InlineData("Opnieuw", "retry", 0)]
    public async Task Choice_matches_value_title_synonym_or_number(string answer, string value, int index)
    {
        var client = new DialogTestClient(() => Ask(new ChoicePrompt("choice"), CardChoices, r => $"{((FoundChoice)r!).Value}#{((FoundChoice)r!).Index}"));
        await client.SendTextAsync("start");
        Assert.Equal([$"=> {value}#{index}"], (await client.SendTextAsync(answer)).Texts);
    }

    [Fact]
    public async Task Choice_renders_suggested_actions_in_personal_chat_and_a_list_elsewhere()
    {
        var personal = new DialogTestClient(() => Ask(new ChoicePrompt("choice"), CardChoices));
        var shown = (await personal.SendTextAsync("start")).Activities.Single();
        Assert.Equal(["Retry the same card", "Use another card", "Add a new card"], shown.SuggestedActions!.Actions!.Select(a => a.Title));

        var channel = new DialogTestClient(() => Ask(new ChoicePrompt("choice"), CardChoices), conversationType: ConversationTypes.Channel);
        var listed = (await channel.SendTextAsync("start")).Activities.Single();
        Assert.Null(listed.SuggestedActions);
        Assert.Equal("Which card?\n\n1. Retry the same card\n2. Use another card\n3. Add a new card", listed.Text);

        Assert.Equal(listed.Text, (await channel.SendTextAsync("4")).Texts.Single()); // out of range: asked again
    }

    [Fact]
    public async Task A_prompt_without_prompt_options_is_a_programming_error()
    {
        var client = new DialogTestClient(() => new WaterfallDialog("w", [(step, ct) => step.BeginDialogAsync("missing", null, ct)]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendTextAsync("x"));

        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w", [(step, ct) => step.BeginDialogAsync("t", "not options", ct)])).AddDialog(new TextPrompt("t"));
        await Assert.ThrowsAsync<ArgumentException>(() => new DialogTestClient(() => root).SendTextAsync("x"));
    }
}
