using PastDueBot.Protocol.Dialogs;

namespace PastDueBot.Tests.State;

/// <summary>State and dialog values go through generated contracts only: what no layer added is refused by name.</summary>
public sealed class StateJsonTests
{
    private sealed record NotAdded(string Name);

    [Fact]
    public void A_type_no_layer_added_is_refused_naming_it()
    {
        var values = new DialogValues([]);

        var error = Assert.Throws<NotSupportedException>(() => values.SetValue("x", new NotAdded("a")));

        Assert.Contains(nameof(NotAdded), error.Message);
        Assert.False(values.ContainsKey("x"));
    }

    [Fact]
    public void A_layers_types_are_there_before_its_code_runs()
    {
        // The conversation layer's module initializer added its contract when the assembly loaded.
        var node = DialogJson.ToNode(new PastDueBot.Conversation.Settle.PayRound("flow-1", "sub-1", 2));

        Assert.Equal("""{"flowId":"flow-1","subscriptionId":"sub-1","attempt":2}""", node!.ToJsonString());
        Assert.Equal(2, DialogJson.Read<PastDueBot.Conversation.Settle.PayRound>(node)!.Attempt);
    }
}
