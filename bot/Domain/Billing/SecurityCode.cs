namespace PastDueBot.Domain.Billing;

/// <summary>The card security code (CVC/CVV): three digits, four on American Express. Checked, never kept.</summary>
public static class SecurityCode
{
    public static int LengthFor(CardBrand brand) => brand == CardBrand.AmericanExpress ? 4 : 3;

    /// <summary>Null when the code fits the brand.</summary>
    public static CardValidationError? Check(string? code, CardBrand brand)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return CardValidationError.SecurityCodeMissing;
        }

        var trimmed = code.Trim();
        foreach (var c in trimmed)
        {
            if (c is < '0' or > '9')
            {
                return CardValidationError.SecurityCodeNotDigits;
            }
        }

        return trimmed.Length == LengthFor(brand) ? null : CardValidationError.SecurityCodeWrongLength;
    }
}
