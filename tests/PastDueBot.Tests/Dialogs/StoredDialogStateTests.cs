using System.Text.Json;
using System.Text.Json.Nodes;
using PastDueBot.Protocol.Dialogs;
using PastDueBot.Protocol.Storage;

namespace PastDueBot.Tests.Dialogs;

/// <summary>
/// A stored dialog stack is read as views into the stored document, and a component's inner stack from its JSON node,
/// instead of through the serializer. The result must be what the serializer would have made of it, stay editable,
/// and save back exactly.
/// </summary>
public sealed class StoredDialogStateTests
{
    private static readonly JsonSerializerOptions Options = StateJson.Options;

    [Theory]
    [InlineData("""{"dialogStack":[{"id":"settle","version":"v1","state":{"dialogs":{"dialogStack":[{"id":"card","version":null,"state":{"options":{"promptId":"p-1"},"n":3}}]},"values":{"é":"ü"}}},{"id":"main","version":"v2","state":{}}]}""")]
    [InlineData("""{"dialogStack":[{"id":"bare"}]}""")]
    [InlineData("""{"dialogStack":[]}""")]
    [InlineData("""{"dialogStack":[{"id":"odd","version":"1","state":{"list":[1,2.50,{"x":true}],"nothing":null}}],"extra":1}""")]
    public void Reads_what_the_serializer_reads_and_saves_it_back_unchanged(string stored)
    {
        var element = JsonElement.Parse(stored);

        var read = DialogState.ReadStored(element, Options);
        var serializer = element.Deserialize<DialogState>(Options)!;

        Assert.Equal(JsonSerializer.Serialize(serializer, Options), JsonSerializer.Serialize(read, Options));
        Assert.Equal(serializer.DialogStack.Select(i => (i.Id, i.Version)), read.DialogStack.Select(i => (i.Id, i.Version)));
    }

    [Fact]
    public void A_read_state_can_be_changed_and_the_change_is_saved()
    {
        var element = JsonElement.Parse("""{"dialogStack":[{"id":"settle","version":"v1","state":{"values":{"step":1}}}]}""");
        var read = DialogState.ReadStored(element, Options);

        var values = new DialogValues((JsonObject)read.DialogStack[0].State["values"]!);
        values.SetValue("step", 2);
        read.DialogStack[0].State["note"] = "added";
        read.DialogStack.Insert(0, new DialogInstance { Id = "prompt", State = new JsonObject { ["a"] = 1 } });

        var saved = JsonSerializer.Serialize(read, Options);
        Assert.Equal("""{"dialogStack":[{"id":"prompt","version":null,"state":{"a":1}},{"id":"settle","version":"v1","state":{"values":{"step":2},"note":"added"}}]}""", saved);
    }

    [Fact]
    public void Keys_of_a_read_state_match_without_regard_to_case_as_the_serializer_makes_them()
    {
        var element = JsonElement.Parse("""{"dialogStack":[{"id":"settle","state":{"Step":1}}]}""");

        Assert.True(DialogState.ReadStored(element, Options).DialogStack[0].State.ContainsKey("step"));
        Assert.True(element.Deserialize<DialogState>(Options)!.DialogStack[0].State.ContainsKey("step"));
    }

    [Theory]
    [InlineData("""{"DialogStack":[{"Id":"cased","State":{"a":1}}]}""", "cased")]
    [InlineData("""{"dialogStack":[{"Id":"cased-item"}]}""", "cased-item")]
    public void Other_spellings_still_read(string stored, string id)
    {
        var read = DialogState.ReadStored(JsonElement.Parse(stored), Options);

        Assert.Equal(id, Assert.Single(read.DialogStack).Id);
    }

    [Fact]
    public void A_null_state_reads_as_an_empty_one()
    {
        var read = DialogState.ReadStored(JsonElement.Parse("""{"dialogStack":[{"id":"null-state","state":null}]}"""), Options);

        Assert.Empty(Assert.Single(read.DialogStack).State);
    }

    [Theory]
    [InlineData("""{"dialogStack":[{"id":7}]}""")]
    [InlineData("""{"dialogStack":{"id":"not-a-list"}}""")]
    [InlineData("""{"dialogStack":[{"id":"x","state":"text"}]}""")]
    public void A_stack_in_no_readable_shape_fails_as_the_serializer_fails(string stored)
    {
        Assert.ThrowsAny<JsonException>(() => DialogState.ReadStored(JsonElement.Parse(stored), Options));
    }

    [Theory]
    [InlineData("""{"dialogStack":[{"id":"card","version":"v3","state":{"options":{"promptId":"p-1","prompt":{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","body":[]}}]}},"state":{"attemptCount":1}}},{"id":"waterfall","version":null,"state":{"values":{"é":"ü"},"stepIndex":2}}]}""")]
    [InlineData("""{"dialogStack":[{"id":"bare"}]}""")]
    [InlineData("""{"dialogStack":[]}""")]
    public void An_inner_stack_node_reads_as_the_serializer_reads_it_whether_parsed_or_built(string stored)
    {
        var parsed = JsonNode.Parse(stored, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;
        var built = JsonSerializer.SerializeToNode(parsed.Deserialize<DialogState>(DialogJson.Options), DialogJson.Options)!;

        foreach (var node in new[] { parsed, built })
        {
            var expected = JsonSerializer.Serialize(node.Deserialize<DialogState>(DialogJson.Options), DialogJson.Options);
            Assert.Equal(expected, JsonSerializer.Serialize(DialogState.ReadNode(node, DialogJson.Options), DialogJson.Options));
        }
    }

    [Theory]
    [InlineData("""{"dialogStack":[{"id":"card","version":"v3","state":{"options":{"promptId":"p-1","prompt":{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","body":[]}}]}},"state":{"attemptCount":1}}},{"id":"waterfall","version":null,"state":{"values":{"é":"ü","n":null},"stepIndex":2}}]}""")]
    [InlineData("""{"dialogStack":[{"id":"bare"}]}""")]
    [InlineData("""{"dialogStack":[]}""")]
    public void A_stack_becomes_the_node_the_serializer_makes_of_it_also_after_changes(string stored)
    {
        foreach (var options in new[] { DialogJson.Options, StateJson.Options, new JsonSerializerOptions() })
        {
            var state = DialogState.ReadNode(JsonNode.Parse(stored), options)!;
            Assert.Equal(JsonSerializer.SerializeToNode(state, options)!.ToJsonString(), state.ToNode(options).ToJsonString());

            state.DialogStack.Add(new DialogInstance { Id = "added", State = new JsonObject { ["x"] = new JsonArray(1, "two") } });
            if (state.DialogStack[0].State is { } first) first["changed"] = true;
            Assert.Equal(JsonSerializer.SerializeToNode(state, options)!.ToJsonString(), state.ToNode(options).ToJsonString());
        }
    }

    [Fact]
    public void A_stack_and_its_node_stay_independent_and_it_can_be_saved_twice()
    {
        var state = DialogState.ReadNode(JsonNode.Parse("""{"dialogStack":[{"id":"card","state":{"n":1}}]}"""), DialogJson.Options)!;

        var first = state.ToNode(DialogJson.Options);
        var second = state.ToNode(DialogJson.Options); // a state node already under the first still goes into the second
        ((JsonObject)first["dialogStack"]![0]!["state"]!)["n"] = 2;
        state.DialogStack[0].State["n"] = 3;

        Assert.Equal("""{"dialogStack":[{"id":"card","state":{"n":2}}]}""", first.ToJsonString());
        Assert.Equal("""{"dialogStack":[{"id":"card","state":{"n":1}}]}""", second.ToJsonString());
        Assert.True(second.ContainsKey("DIALOGSTACK")); // case-insensitive like the serializer's node for these options
    }

    [Fact]
    public void Changing_an_inner_stack_read_from_a_node_leaves_the_node_as_it_was()
    {
        const string stored = """{"dialogStack":[{"id":"card","version":"v3","state":{"state":{"attemptCount":1}}}]}""";
        var node = JsonNode.Parse(stored)!;

        var read = DialogState.ReadNode(node, DialogJson.Options)!;
        ((JsonObject)read.DialogStack[0].State["state"]!)["attemptCount"] = 2;
        read.DialogStack[0].State["extra"] = true;

        Assert.Equal(stored, node.ToJsonString());
        Assert.Null(DialogState.ReadNode(null, DialogJson.Options));
    }

    [Theory]
    [InlineData("""{"DialogStack":[{"Id":"cased"}]}""", "cased")]
    [InlineData("""{"dialogStack":[{"id":"null-version","version":null,"state":null}]}""", "null-version")]
    public void An_inner_stack_in_another_spelling_still_reads(string stored, string id)
    {
        var read = DialogState.ReadNode(JsonNode.Parse(stored), DialogJson.Options)!;

        Assert.Equal(id, Assert.Single(read.DialogStack).Id);
    }

    [Theory]
    [InlineData("""{"dialogStack":[{"id":7}]}""")]
    [InlineData("""{"dialogStack":[{"id":"x","state":[1]}]}""")]
    [InlineData("""{"dialogStack":[{"id":"x","version":{"v":1}}]}""")]
    public void An_inner_stack_node_in_no_readable_shape_fails_as_the_serializer_fails(string stored)
    {
        Assert.ThrowsAny<JsonException>(() => DialogState.ReadNode(JsonNode.Parse(stored), DialogJson.Options));
    }
}
