using PastDueBot.Protocol.Builder.State;
using PastDueBot.Protocol.Storage;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.State;

public sealed class TurnStorageReadsTests
{
    private readonly InMemoryTestStorage _storage = new();
    private readonly InMemoryTestStorage _other = new();

    [Fact]
    public void Keys_read_ahead_are_handed_out_once_found_or_absent()
    {
        var context = TestTurnContext.Message("a:1");
        var found = new StoreItem("{\"a\":1}", "e1");
        TurnStorageReads.Of(context).Add(_storage, ["found", "absent"], new Dictionary<string, StoreItem> { ["found"] = found, ["record"] = new StoreItem("{}", "e0") });

        var items = TurnStorageReads.TryTake(context, _storage, ["found", "absent"]);

        Assert.NotNull(items);
        Assert.Equal(["found"], items.Keys);
        Assert.Same(found, items["found"]);
        Assert.Null(TurnStorageReads.TryTake(context, _storage, ["found"]));
        Assert.Null(TurnStorageReads.TryTake(context, _storage, ["absent"]));
    }

    [Fact]
    public void Nothing_is_taken_unless_every_key_was_read_ahead_on_that_storage()
    {
        var context = TestTurnContext.Message("a:1");
        Assert.Null(TurnStorageReads.TryTake(context, _storage, ["a"])); // nothing read ahead at all
        TurnStorageReads.Of(context).Add(_storage, ["a"], new Dictionary<string, StoreItem>());

        Assert.Null(TurnStorageReads.TryTake(context, _storage, ["a", "b"]));
        Assert.Null(TurnStorageReads.TryTake(context, _other, ["a"]));
        Assert.NotNull(TurnStorageReads.TryTake(context, _storage, ["a"]));
    }
}
