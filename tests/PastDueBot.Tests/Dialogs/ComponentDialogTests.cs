using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Tests.Dialogs;

public sealed class ComponentDialogTests
{
    // outer component → waterfall → inner component → waterfall with a prompt; the inner result flows up two levels.
    private static Dialog BuildNested()
    {
        var inner = new ComponentDialog("inner");
        inner.AddDialog(new WaterfallDialog("innerFlow",
        [
            (step, ct) => step.PromptAsync("ask", PromptOptions.FromText("Inner question?"), ct),
            (step, ct) => step.EndDialogAsync($"inner:{step.Result}", ct),
        ]));
        inner.AddDialog(new TextPrompt("ask"));

        var outer = new ComponentDialog("outer");
        outer.AddDialog(new WaterfallDialog("outerFlow",
        [
            (step, ct) => step.BeginDialogAsync("inner", null, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"outer got {step.Result}", ct);
                return await step.EndDialogAsync($"outer:{step.Result}", ct);
            },
        ]));
        outer.AddDialog(inner);
        return outer;
    }

    [Fact]
    public async Task A_nested_component_returns_its_result_to_the_parent_step()
    {
        var client = new DialogTestClient(BuildNested);

        Assert.Equal(["Inner question?"], (await client.SendTextAsync("hi")).Texts);

        // The inner component's stack lives inside the outer component's "dialogs" state.
        var outerInner = client.StoredState["dialogStack"]![0]!["state"]!["dialogs"]!["dialogStack"]!.AsArray();
        Assert.Equal(["inner", "outerFlow"], outerInner.Select(i => i!["id"]!.GetValue<string>()));
        var innerInner = outerInner[0]!["state"]!["dialogs"]!["dialogStack"]!.AsArray();
        Assert.Equal(["ask", "innerFlow"], innerInner.Select(i => i!["id"]!.GetValue<string>()));

        var done = await client.SendTextAsync("42");
        Assert.Equal(["outer got inner:42"], done.Texts);
        Assert.Equal(DialogTurnStatus.Complete, done.Result.Status);
        Assert.Equal("outer:inner:42", done.Result.Result);
    }

    [Fact]
    public void The_initial_dialog_is_the_first_added_unless_set()
    {
        var component = new ComponentDialog("c");
        component.AddDialog(new TextPrompt("first")).AddDialog(new TextPrompt("second"));
        Assert.Equal("first", component.InitialDialogId);

        component.InitialDialogId = "second";
        Assert.NotNull(component.FindDialog("second"));
    }

    [Fact]
    public async Task Reprompting_a_component_reprompts_its_active_inner_prompt()
    {
        var client = new DialogTestClient(BuildNested)
        {
            TurnHandler = async (context, root, accessor) =>
            {
                if (context.Activity.Text != "again") return await root.RunAsync(context, accessor);
                var dc = await new DialogSet(accessor).Add(root).CreateContextAsync(context);
                await dc.RepromptDialogAsync();
                return Dialog.EndOfTurn;
            },
        };
        await client.SendTextAsync("hi");

        Assert.Equal(["Inner question?"], (await client.SendTextAsync("again")).Texts);
        Assert.Equal(["outer got inner:yes"], (await client.SendTextAsync("yes")).Texts);
    }

    [Fact]
    public void A_component_version_changes_when_an_inner_dialog_changes()
    {
        static ComponentDialog Build(int steps)
        {
            var component = new ComponentDialog("c");
            component.AddDialog(new WaterfallDialog("w", Enumerable.Repeat<WaterfallStep>((s, ct) => Task.FromResult(Dialog.EndOfTurn), steps)));
            return component;
        }

        Assert.Equal(Build(2).GetVersion(), Build(2).GetVersion());
        Assert.NotEqual(Build(2).GetVersion(), Build(3).GetVersion());
        Assert.Equal("w:v2", new WaterfallDialog("w") { Version = "v2" }.GetVersion());
        Assert.Equal("w:0", new WaterfallDialog("w").GetVersion());
    }
}
