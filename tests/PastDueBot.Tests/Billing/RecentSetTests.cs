using PastDueBot.Storage.Billing;

namespace PastDueBot.Tests.Billing;

/// <summary>The demo ledger's memory of seeded accounts stays bounded however many admins it meets.</summary>
public sealed class RecentSetTests
{
    [Fact]
    public void It_remembers_at_most_two_generations_and_forgets_the_oldest_first()
    {
        var set = new RecentSet<int>(generationSize: 3);
        for (var i = 0; i < 7; i++) set.Add(i);

        // 0-2 filled the first generation, 3-5 the second; adding 6 started a third and dropped the first.
        Assert.True(set.Contains(6));
        Assert.True(set.Contains(5));
        Assert.False(set.Contains(0));
        Assert.False(set.Contains(1));
        Assert.False(set.Contains(2));
    }

    [Fact]
    public void An_item_still_in_use_is_carried_forward_and_survives_the_turnover()
    {
        var set = new RecentSet<string>(generationSize: 2);
        set.Add("in use");
        set.Add("idle");          // first generation full: it becomes the previous one
        Assert.True(set.Contains("in use")); // found in the previous generation, carried into the current one
        set.Add("new");           // current full again: the generation holding only "idle" is forgotten

        Assert.True(set.Contains("in use"));
        Assert.True(set.Contains("new"));
        Assert.False(set.Contains("idle"));
    }

    [Fact]
    public void Adding_one_item_many_times_keeps_one_entry()
    {
        var set = new RecentSet<string>(generationSize: 2);
        for (var i = 0; i < 10; i++) set.Add("same");
        set.Add("other");
        Assert.True(set.Contains("same"));
        Assert.True(set.Contains("other"));
    }

    [Fact]
    public void A_generation_needs_room_for_one_item() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentSet<int>(0));
}
