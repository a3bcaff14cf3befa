using CsCheck;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Domain;

public sealed class CardNumberTests
{
    /// <summary>A prefix per brand with its allowed lengths, as the networks publish them.</summary>
    private static readonly Gen<(CardBrand Brand, string Prefix, int Length)> BrandedPrefix = Gen.OneOf(
        Gen.Int[0, 2].Select(i => (CardBrand.Visa, "4", new[] { 13, 16, 19 }[i])),
        Gen.Int[51, 55].Select(p => (CardBrand.Mastercard, p.ToString(System.Globalization.CultureInfo.InvariantCulture), 16)),
        Gen.Int[2221, 2720].Select(p => (CardBrand.Mastercard, p.ToString(System.Globalization.CultureInfo.InvariantCulture), 16)),
        Gen.OneOf("34", "37").Select(p => (CardBrand.AmericanExpress, p, 15)),
        Gen.OneOf("6011", "65", "644", "649").SelectMany(p => Gen.Int[16, 19].Select(l => (CardBrand.Discover, p, l))));

    /// <summary>Valid numbers built with a check digit computed here, independently of the code under test.</summary>
    private static readonly Gen<(CardBrand Brand, string Digits)> ValidNumber =
        BrandedPrefix.SelectMany(b => Gen.Int[0, 9].Array[b.Length - b.Prefix.Length - 1]
            .Select(body => (b.Brand, WithCheckDigit(b.Prefix + string.Concat(body)))));

    [Theory]
    [InlineData("4242 4242 4242 4242", CardBrand.Visa, "4242")]
    [InlineData("4000-0000-0000-0002", CardBrand.Visa, "0002")]
    [InlineData("5555555555554444", CardBrand.Mastercard, "4444")]
    [InlineData("2223003122003222", CardBrand.Mastercard, "3222")]
    [InlineData("378282246310005", CardBrand.AmericanExpress, "0005")]
    [InlineData("6011111111111117", CardBrand.Discover, "1117")]
    public void Known_test_numbers_parse_with_their_brand(string input, CardBrand brand, string lastFour)
    {
        var parsed = CardNumber.Parse(input);
        Assert.True(parsed.IsValid);
        Assert.Equal(brand, parsed.Value.Brand);
        Assert.Equal(lastFour, parsed.Value.LastFour);
        Assert.DoesNotContain(parsed.Value.Digits, parsed.Value.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, CardValidationError.NumberMissing)]
    [InlineData("  ", CardValidationError.NumberMissing)]
    [InlineData("4242 4242 4242 424x", CardValidationError.NumberHasInvalidCharacters)]
    [InlineData("4242.4242.4242.4242", CardValidationError.NumberHasInvalidCharacters)]
    [InlineData("4242424242424241", CardValidationError.NumberFailsChecksum)]
    [InlineData("424242424242424", CardValidationError.NumberWrongLengthForBrand)]
    [InlineData("37828224631000", CardValidationError.NumberWrongLengthForBrand)]
    [InlineData("5055555555554444", CardValidationError.BrandNotAccepted)]
    [InlineData("2721000000000000", CardValidationError.BrandNotAccepted)]
    [InlineData("3530111333300000", CardValidationError.BrandNotAccepted)]
    public void Bad_numbers_say_why(string? input, CardValidationError error)
    {
        Assert.Equal(error, CardNumber.Parse(input).Error);
    }

    [Fact]
    public void Every_well_formed_number_parses_with_its_brand_however_it_is_grouped()
    {
        ValidNumber.Sample(n =>
        {
            var grouped = string.Join(' ', n.Digits.Chunk(4).Select(c => new string(c)));
            var dashed = string.Join('-', n.Digits.Chunk(4).Select(c => new string(c)));
            foreach (var input in new[] { n.Digits, grouped, dashed, $"  {grouped} " })
            {
                var parsed = CardNumber.Parse(input);
                Assert.True(parsed.IsValid, $"{input}: {parsed.Error}");
                Assert.Equal(n.Brand, parsed.Value.Brand);
                Assert.Equal(n.Digits, parsed.Value.Digits);
                Assert.Equal(n.Digits[^4..], parsed.Value.LastFour);
            }
        });
    }

    [Fact]
    public void Luhn_catches_every_single_digit_typo()
    {
        ValidNumber.SelectMany(n => Gen.Int[0, n.Digits.Length - 1].SelectMany(i => Gen.Int[1, 9].Select(d => (n.Digits, i, d))))
            .Sample(t =>
            {
                var chars = t.Digits.ToCharArray();
                chars[t.i] = (char)('0' + ((chars[t.i] - '0' + t.d) % 10));
                Assert.False(CardNumber.PassesLuhn(chars));
            });
    }

    [Fact]
    public void Luhn_catches_adjacent_transpositions_except_09()
    {
        ValidNumber.SelectMany(n => Gen.Int[0, n.Digits.Length - 2].Select(i => (n.Digits, i)))
            .Sample(t =>
            {
                var a = t.Digits[t.i];
                var b = t.Digits[t.i + 1];
                if (a == b || (a, b) is ('0', '9') or ('9', '0'))
                {
                    return;
                }

                var chars = t.Digits.ToCharArray();
                (chars[t.i], chars[t.i + 1]) = (b, a);
                Assert.False(CardNumber.PassesLuhn(chars));
            });
    }

    [Fact]
    public void Mastercard_2_series_bounds_are_inclusive()
    {
        Assert.Equal(CardBrand.Mastercard, CardNumber.DetectBrand("2221000000000000"));
        Assert.Equal(CardBrand.Mastercard, CardNumber.DetectBrand("2720990000000000"));
        Assert.Equal(CardBrand.Unknown, CardNumber.DetectBrand("2220990000000000"));
        Assert.Equal(CardBrand.Unknown, CardNumber.DetectBrand("2721000000000000"));
        Assert.Equal(CardBrand.Unknown, CardNumber.DetectBrand("5600000000000000"));
    }

    private static string WithCheckDigit(string payload)
    {
        // Reference Luhn: double every second digit counting from the right of the full number.
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return payload + (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
