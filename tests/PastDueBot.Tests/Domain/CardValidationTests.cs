using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Domain;

public sealed class CardValidationTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Fact]
    public void A_complete_form_gives_a_card_of_digits_only()
    {
        var result = CardValidation.Validate(" Ada Admin ", "4242 4242-4242 4242", "04/30", " 123 ", Today);
        Assert.True(result.IsValid);
        Assert.Equal(new NewCard("Ada Admin", "4242424242424242", new CardExpiry(4, 2030), "123"), result.Card);
        Assert.Equal(CardBrand.Visa, result.Brand);
        Assert.DoesNotContain("4242424242424242", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = CardValidation.Validate("", "4242424242424241", "10/26", "12", Today);
        Assert.False(result.IsValid);
        Assert.Null(result.Card);
        Assert.Equal(
            [CardValidationError.HolderNameMissing, CardValidationError.NumberFailsChecksum, CardValidationError.ExpiryInPast, CardValidationError.SecurityCodeWrongLength],
            result.Errors);
    }

    [Theory]
    [InlineData("378282246310005", "1234", null)]
    [InlineData("378282246310005", "123", CardValidationError.SecurityCodeWrongLength)]
    [InlineData("4242424242424242", "1234", CardValidationError.SecurityCodeWrongLength)]
    [InlineData("4242424242424242", "12a", CardValidationError.SecurityCodeNotDigits)]
    [InlineData("4242424242424242", "", CardValidationError.SecurityCodeMissing)]
    [InlineData("5555555555554444", "999", null)]
    public void Security_code_has_three_digits_four_on_amex(string number, string code, CardValidationError? error)
    {
        var result = CardValidation.Validate("Ada", number, "01/29", code, Today);
        Assert.Equal(error is null ? [] : [error.Value], result.Errors);
    }
}
