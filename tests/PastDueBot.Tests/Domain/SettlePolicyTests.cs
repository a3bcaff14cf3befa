using Microsoft.Extensions.Time.Testing;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Domain;

public sealed class SettlePolicyTests
{
    private const string Me = "admin-1";
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static PaymentMethod Card(string owner, CardExpiry expiry) =>
        new("pm_x", CardBrand.Visa, "4242", expiry, "Contoso", owner, null);

    [Fact]
    public void Only_the_owner_may_change_the_expiry()
    {
        var megans = Card("megan", new CardExpiry(1, 2028));
        Assert.False(SettlePolicy.CanEditExpiry(megans, Me));
        Assert.Equal(SettleRefusal.NotCardOwner, SettlePolicy.Check(megans, new CardExpiry(2, 2029), Me, Today));
        Assert.Null(SettlePolicy.Check(megans, null, Me, Today));
        Assert.True(SettlePolicy.CanEditExpiry(Card("ADMIN-1", new CardExpiry(1, 2028)), Me));
    }

    [Fact]
    public void An_expired_card_cannot_be_chosen_unless_its_owner_renews_it()
    {
        var expired = Card(Me, new CardExpiry(10, 2026));
        Assert.False(SettlePolicy.CanChoose(expired, Today));
        Assert.Equal(SettleRefusal.CardExpired, SettlePolicy.Check(expired, null, Me, Today));
        Assert.Null(SettlePolicy.Check(expired, new CardExpiry(10, 2029), Me, Today));
        Assert.Equal(SettleRefusal.ExpiryNotUsable, SettlePolicy.Check(expired, new CardExpiry(9, 2026), Me, Today));
    }

    [Fact]
    public void Choosable_cards_leave_out_the_expired_ones()
    {
        var cards = new[] { Card(Me, new CardExpiry(11, 2026)), Card(Me, new CardExpiry(10, 2026)) };
        Assert.Equal([cards[0]], SettlePolicy.Choosable(cards, Today));
    }

    [Fact]
    public void Today_comes_from_the_time_provider_in_utc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(-5)));
        Assert.Equal(new DateOnly(2026, 12, 1), SettlePolicy.Today(time));
    }
}
