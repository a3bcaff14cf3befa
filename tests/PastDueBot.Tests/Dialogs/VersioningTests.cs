using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Tests.Dialogs;

public sealed class VersioningTests
{
    /// <summary>A root that apologises when a deploy changed its dialogs, then (optionally) starts again.</summary>
    private sealed class Root(int stepCount, bool restart = true, string promptId = "ask") : ComponentDialog("root")
    {
        public Root Build()
        {
            var steps = new List<WaterfallStep>();
            for (var i = 0; i < stepCount; i++)
            {
                var index = i;
                steps.Add((step, ct) => step.PromptAsync(promptId, PromptOptions.FromText($"v{stepCount} step {index}?"), ct));
            }

            steps.Add((step, ct) => step.EndDialogAsync(step.Result, ct));
            AddDialog(new WaterfallDialog("flow", steps));
            AddDialog(new TextPrompt(promptId));
            return this;
        }

        public override async Task<bool> OnVersionMismatchAsync(ITurnContext turnContext, DialogVersionMismatch mismatch, CancellationToken cancellationToken = default)
        {
            await turnContext.SendActivityAsync($"I was updated, let's start again. ({mismatch.DialogId})", cancellationToken);
            return restart;
        }
    }

    [Fact]
    public async Task A_changed_waterfall_restarts_the_conversation_instead_of_running_a_wrong_step()
    {
        var client = new DialogTestClient(() => new Root(3).Build());
        Assert.Equal(["v3 step 0?"], (await client.SendTextAsync("hi")).Texts);
        Assert.Equal(["v3 step 1?"], (await client.SendTextAsync("a")).Texts);

        client.RootFactory = () => new Root(4).Build(); // the deploy
        var reply = await client.SendTextAsync("b");

        Assert.Equal(["I was updated, let's start again. (root)", "v4 step 0?"], reply.Texts);
        Assert.Equal(DialogTurnStatus.Waiting, reply.Result.Status);
        Assert.Equal(["v4 step 1?"], (await client.SendTextAsync("c")).Texts);
    }

    [Fact]
    public async Task The_hook_can_leave_the_stack_empty_until_the_next_message()
    {
        var client = new DialogTestClient(() => new Root(2).Build());
        await client.SendTextAsync("hi");

        client.RootFactory = () => new Root(3, restart: false).Build();
        var reply = await client.SendTextAsync("a");
        Assert.Equal(["I was updated, let's start again. (root)"], reply.Texts);
        Assert.Equal(DialogTurnStatus.Empty, reply.Result.Status);
        Assert.Empty(client.StoredState["dialogStack"]!.AsArray());

        Assert.Equal(["v3 step 0?"], (await client.SendTextAsync("b")).Texts);
    }

    [Fact]
    public async Task A_renamed_inner_dialog_is_a_mismatch_too()
    {
        var client = new DialogTestClient(() => new Root(2).Build());
        await client.SendTextAsync("hi");

        client.RootFactory = () => new Root(2, promptId: "askRenamed").Build();
        Assert.Equal(["I was updated, let's start again. (root)", "v2 step 0?"], (await client.SendTextAsync("a")).Texts);
    }

    [Fact]
    public async Task A_root_replaced_by_another_dialog_id_is_a_mismatch_without_exception()
    {
        var client = new DialogTestClient(() => new Root(2).Build());
        await client.SendTextAsync("hi");

        client.RootFactory = () => new WaterfallDialog("newRoot",
        [
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("new root", ct);
                return Dialog.EndOfTurn;
            },
        ]);
        Assert.Equal(["new root"], (await client.SendTextAsync("a")).Texts);
    }

    [Fact]
    public async Task An_unchanged_deploy_continues_where_it_was()
    {
        var client = new DialogTestClient(() => new Root(3).Build());
        await client.SendTextAsync("hi");
        client.RootFactory = () => new Root(3).Build();
        Assert.Equal(["v3 step 1?"], (await client.SendTextAsync("a")).Texts);
    }
}
