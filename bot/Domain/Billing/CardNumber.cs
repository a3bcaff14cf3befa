namespace PastDueBot.Domain.Billing;

/// <summary>
/// A primary account number that passed the checksum and its brand's length rules. Only
/// <see cref="Digits"/> holds the full number, for the one call to the processor's tokenisation;
/// <see cref="ToString"/> masks it so it cannot leak into a log line by accident.
/// </summary>
public readonly record struct CardNumber
{
    private CardNumber(string digits, CardBrand brand)
    {
        Digits = digits;
        Brand = brand;
    }

    public string Digits { get; }

    public CardBrand Brand { get; }

    public string LastFour => Digits[^4..];

    public override string ToString() => $"{Brand} ****{LastFour}";

    /// <summary>Accepts digits separated by spaces or dashes, as people type and paste them.</summary>
    public static CardField<CardNumber> Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return CardField<CardNumber>.Fail(CardValidationError.NumberMissing);
        }

        var digits = Normalize(input);
        if (digits is null)
        {
            return CardField<CardNumber>.Fail(CardValidationError.NumberHasInvalidCharacters);
        }

        var brand = DetectBrand(digits);
        if (brand == CardBrand.Unknown)
        {
            return CardField<CardNumber>.Fail(CardValidationError.BrandNotAccepted);
        }

        if (!IsValidLength(brand, digits.Length))
        {
            return CardField<CardNumber>.Fail(CardValidationError.NumberWrongLengthForBrand);
        }

        return PassesLuhn(digits)
            ? CardField<CardNumber>.Ok(new CardNumber(digits, brand))
            : CardField<CardNumber>.Fail(CardValidationError.NumberFailsChecksum);
    }

    /// <summary>The digits alone, or null when anything other than digits, spaces and dashes was typed.</summary>
    public static string? Normalize(string input)
    {
        var buffer = new System.Text.StringBuilder(input.Length);
        foreach (var c in input.Trim())
        {
            if (c is >= '0' and <= '9')
            {
                buffer.Append(c);
            }
            else if (c is not (' ' or '-'))
            {
                return null;
            }
        }

        return buffer.Length == 0 ? null : buffer.ToString();
    }

    /// <summary>The Luhn (mod 10) checksum every card number carries in its last digit.</summary>
    public static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>The brand from the issuer prefix (IIN ranges as the networks publish them).</summary>
    public static CardBrand DetectBrand(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 4)
        {
            return CardBrand.Unknown;
        }

        var two = Prefix(digits, 2);
        var four = Prefix(digits, 4);
        if (digits[0] == '4')
        {
            return CardBrand.Visa;
        }

        if (two is >= 51 and <= 55 || four is >= 2221 and <= 2720)
        {
            return CardBrand.Mastercard;
        }

        if (two is 34 or 37)
        {
            return CardBrand.AmericanExpress;
        }

        var three = Prefix(digits, 3);
        if (four == 6011 || two == 65 || three is >= 644 and <= 649)
        {
            return CardBrand.Discover;
        }

        return CardBrand.Unknown;
    }

    public static bool IsValidLength(CardBrand brand, int length) => brand switch
    {
        CardBrand.Visa => length is 13 or 16 or 19,
        CardBrand.Mastercard => length == 16,
        CardBrand.AmericanExpress => length == 15,
        CardBrand.Discover => length is >= 16 and <= 19,
        _ => false,
    };

    private static int Prefix(ReadOnlySpan<char> digits, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }
}
