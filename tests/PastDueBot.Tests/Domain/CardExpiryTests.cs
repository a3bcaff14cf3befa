using CsCheck;
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

public sealed class CardExpiryParsingTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Theory]
    [InlineData("12/27", 12, 2027)]
    [InlineData("1/28", 1, 2028)]
    [InlineData("03/2030", 3, 2030)]
    [InlineData(" 04 / 29 ", 4, 2029)]
    [InlineData("05-31", 5, 2031)]
    public void Reads_the_forms_people_type(string text, int month, int year)
    {
        var parsed = CardExpiry.Parse(text);
        Assert.True(parsed.IsValid);
        Assert.Equal(new CardExpiry(month, year), parsed.Value);
    }

    [Theory]
    [InlineData(null, CardValidationError.ExpiryMissing)]
    [InlineData("", CardValidationError.ExpiryMissing)]
    [InlineData("1227", CardValidationError.ExpiryUnreadable)]
    [InlineData("12/7", CardValidationError.ExpiryUnreadable)]
    [InlineData("12/027", CardValidationError.ExpiryUnreadable)]
    [InlineData("ab/cd", CardValidationError.ExpiryUnreadable)]
    [InlineData("12/27/01", CardValidationError.ExpiryUnreadable)]
    [InlineData("13/27", CardValidationError.ExpiryMonthOutOfRange)]
    [InlineData("00/27", CardValidationError.ExpiryMonthOutOfRange)]
    [InlineData("12/1999", CardValidationError.ExpiryYearOutOfRange)]
    public void Says_why_an_expiry_cannot_be_read(string? text, CardValidationError error)
    {
        Assert.Equal(error, CardExpiry.Parse(text).Error);
    }

    [Theory]
    [InlineData("7", "2027", null)]
    [InlineData("07", "27", null)]
    [InlineData("", "27", CardValidationError.ExpiryMissing)]
    [InlineData("7", "", CardValidationError.ExpiryMissing)]
    [InlineData("July", "2027", CardValidationError.ExpiryUnreadable)]
    [InlineData("7", "202", CardValidationError.ExpiryUnreadable)]
    [InlineData("13", "2027", CardValidationError.ExpiryMonthOutOfRange)]
    [InlineData("7", "2100", CardValidationError.ExpiryYearOutOfRange)]
    public void Reads_separate_month_and_year_inputs(string month, string year, CardValidationError? error)
    {
        var parsed = CardExpiry.FromParts(month, year);
        Assert.Equal(error, parsed.Error);
        if (error is null)
        {
            Assert.Equal(new CardExpiry(7, 2027), parsed.Value);
        }
    }

    [Theory]
    [InlineData(11, 2026, null)]
    [InlineData(10, 2026, CardValidationError.ExpiryInPast)]
    [InlineData(12, 2046, null)]
    [InlineData(1, 2047, CardValidationError.ExpiryTooFarAhead)]
    [InlineData(13, 2030, CardValidationError.ExpiryMonthOutOfRange)]
    public void Only_a_current_plausible_expiry_is_usable(int month, int year, CardValidationError? error)
    {
        Assert.Equal(error, new CardExpiry(month, year).CheckUsable(Today));
    }

    [Fact]
    public void Text_round_trips_through_parse()
    {
        Gen.Int[1, 12].SelectMany(m => Gen.Int[2000, 2099].Select(y => new CardExpiry(m, y)))
            .Sample(e => Assert.Equal(e, CardExpiry.Parse(e.ToString()).Value));
    }
}
