using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Domain;

public sealed class CardExpiryTests
{
    [Theory]
    [InlineData(11, 2026, false)] // valid through the last day of its month
    [InlineData(10, 2026, true)]
    [InlineData(12, 2025, true)]
    [InlineData(1, 2027, false)]
    public void A_card_expires_when_its_month_has_ended(int month, int year, bool past)
    {
        var today = new DateOnly(2026, 11, 30);
        Assert.Equal(past, new CardExpiry(month, year).IsPast(today));
    }

    [Fact]
    public void A_new_card_never_prints_its_number_or_security_code()
    {
        var card = new NewCard("Ada Admin", "4111111111111111", new CardExpiry(4, 2030), "737");
        var text = card.ToString();
        Assert.DoesNotContain("4111111111111111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("737", text, StringComparison.Ordinal);
        Assert.Contains("1111", text, StringComparison.Ordinal);
    }
}
