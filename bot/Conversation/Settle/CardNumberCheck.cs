using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// The checks a typed card number gets before it is sent to tokenisation: digits only, length, Luhn, a brand we take.
/// The processor checks again; this only lets the bot say precisely what is wrong.
/// </summary>
public static class CardNumberCheck
{
    public static string Digits(string typed) => new(typed.Where(c => c is not (' ' or '-')).ToArray());

    public static bool IsWellFormed(string digits) => digits.Length is >= 13 and <= 19 && digits.All(char.IsAsciiDigit);

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    public static CardBrand Brand(string digits)
    {
        if (digits.StartsWith('4')) return CardBrand.Visa;
        if (digits.Length >= 2 && digits[0] == '3' && digits[1] is '4' or '7') return CardBrand.AmericanExpress;
        if (digits.Length >= 2 && int.TryParse(digits.AsSpan(0, 2), out var two) && two is >= 51 and <= 55) return CardBrand.Mastercard;
        if (digits.Length >= 4 && int.TryParse(digits.AsSpan(0, 4), out var four) && four is >= 2221 and <= 2720) return CardBrand.Mastercard;
        if (digits.StartsWith("6011", StringComparison.Ordinal) || digits.StartsWith("65", StringComparison.Ordinal)) return CardBrand.Discover;
        return CardBrand.Unknown;
    }
}
