using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Tests.Dialogs;

public sealed class InterruptionTests
{
    /// <summary>The documented interruption pattern (SDK sample CancelAndHelpDialog): look before the active dialog does.</summary>
    private sealed class CancelAndHelpDialog : ComponentDialog
    {
        public CancelAndHelpDialog()
            : base("cancelAndHelp")
        {
            AddDialog(new WaterfallDialog("flow",
            [
                (step, ct) => step.PromptAsync("amount", PromptOptions.FromText("How much?"), ct),
                async (step, ct) =>
                {
                    await step.Context.SendActivityAsync($"Paying {step.Result}", ct);
                    return await step.EndDialogAsync(step.Result, ct);
                },
            ]));
            AddDialog(new TextPrompt("amount", (prompt, ct) =>
            {
                Attempts.Add(prompt.AttemptCount);
                return Task.FromResult(decimal.TryParse(prompt.Recognized.Value, out _));
            }));
        }

        public static List<int> Attempts { get; } = [];

        protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken)
        {
            switch (innerDc.Context.Activity.Text?.Trim().ToLowerInvariant())
            {
                case "cancel" or "stop" or "annuleer":
                    await innerDc.Context.SendActivityAsync("Cancelled.", cancellationToken);
                    return await innerDc.CancelAllDialogsAsync(false, cancellationToken);
                case "help" or "?":
                    await innerDc.Context.SendActivityAsync("Type an amount, or 'cancel'.", cancellationToken);
                    return Dialog.EndOfTurn;
                default:
                    return await base.OnContinueDialogAsync(innerDc, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task Cancel_ends_every_dialog_and_the_next_message_starts_over()
    {
        var client = new DialogTestClient(() => new CancelAndHelpDialog());
        await client.SendTextAsync("pay");

        var cancelled = await client.SendTextAsync("Cancel");
        Assert.Equal(["Cancelled."], cancelled.Texts);
        Assert.Equal(DialogTurnStatus.Complete, cancelled.Result.Status); // the component ended in its parent (the root set)
        Assert.Null(cancelled.Result.Result);
        Assert.Empty(client.StoredState["dialogStack"]!.AsArray());

        Assert.Equal(["How much?"], (await client.SendTextAsync("pay again")).Texts);
    }

    [Fact]
    public async Task Help_answers_without_disturbing_the_waiting_prompt()
    {
        CancelAndHelpDialog.Attempts.Clear();
        var client = new DialogTestClient(() => new CancelAndHelpDialog());
        await client.SendTextAsync("pay");

        Assert.Equal(["Type an amount, or 'cancel'."], (await client.SendTextAsync("help")).Texts);
        Assert.Equal(["How much?"], (await client.SendTextAsync("lots")).Texts);
        Assert.Equal(["Paying 12.50"], (await client.SendTextAsync("12.50")).Texts);

        // "help" never reached the prompt, so it is not an attempt.
        Assert.Equal([1, 2], CancelAndHelpDialog.Attempts);
    }

    [Fact]
    public async Task Cancelling_parents_from_a_nested_step_empties_every_stack()
    {
        static Dialog Build()
        {
            var inner = new ComponentDialog("inner");
            inner.AddDialog(new WaterfallDialog("innerFlow",
            [
                (step, ct) => step.PromptAsync("ask", PromptOptions.FromText("Inner?"), ct),
                async (step, ct) =>
                {
                    await step.Context.SendActivityAsync("Stopping everything.", ct);
                    return await step.CancelAllDialogsAsync(cancelParents: true, ct);
                },
            ]));
            inner.AddDialog(new TextPrompt("ask"));

            var outer = new ComponentDialog("outer");
            outer.AddDialog(new WaterfallDialog("outerFlow",
            [
                (step, ct) => step.BeginDialogAsync("inner", null, ct),
                async (step, ct) =>
                {
                    await step.Context.SendActivityAsync("must not run", ct);
                    return await step.EndDialogAsync(null, ct);
                },
            ]));
            outer.AddDialog(inner);
            return outer;
        }

        var client = new DialogTestClient(Build);
        await client.SendTextAsync("hi");

        var reply = await client.SendTextAsync("stop");
        Assert.Equal(["Stopping everything."], reply.Texts);
        Assert.Equal(DialogTurnStatus.Cancelled, reply.Result.Status);
        Assert.Empty(client.StoredState["dialogStack"]!.AsArray());
    }

    [Fact]
    public async Task Cancelling_from_a_plain_root_with_nothing_active_is_empty()
    {
        var client = new DialogTestClient(() => new CancelAndHelpDialog())
        {
            TurnHandler = async (context, root, accessor) =>
            {
                var dc = await new DialogSet(accessor).Add(root).CreateContextAsync(context);
                return await dc.CancelAllDialogsAsync();
            },
        };

        Assert.Equal(DialogTurnStatus.Empty, (await client.SendTextAsync("cancel")).Result.Status);
    }
}
