using Microsoft.Extensions.Time.Testing;
using PastDueBot.Conversation.Settle;

namespace PastDueBot.Tests.Conversation;

/// <summary>The runner's memory of ended charges: found for at least a generation, bounded by count and by age.</summary>
public sealed class CompletedPaymentsTests
{
    private static readonly SaveOutcome Refused = new(null, NotCardOwner: true);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_outcome_lasts_one_more_generation_of_payments_and_then_is_forgotten()
    {
        var completed = new CompletedPayments(_time);
        completed.Add("first", Refused);
        for (var i = 1; i < CompletedPayments.GenerationSize; i++) completed.Add($"k{i}", Refused);

        Assert.True(completed.TryGet("first", out var outcome)); // its generation is full and now the previous one
        Assert.Same(Refused, outcome);

        for (var i = 0; i < CompletedPayments.GenerationSize; i++) completed.Add($"next{i}", Refused);

        Assert.False(completed.TryGet("first", out _));
        Assert.False(completed.TryGet("k1", out _));
        Assert.True(completed.TryGet($"next{CompletedPayments.GenerationSize - 1}", out _));
    }

    [Fact]
    public void A_quiet_bot_forgets_an_outcome_after_two_retention_periods_but_not_after_one()
    {
        var completed = new CompletedPayments(_time);
        completed.Add("key", Refused);

        _time.Advance(CompletedPayments.Retention);
        Assert.True(completed.TryGet("key", out _));

        _time.Advance(CompletedPayments.Retention);
        Assert.False(completed.TryGet("key", out _));
    }
}
