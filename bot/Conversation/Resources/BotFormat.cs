using System.Collections.Concurrent;
using System.Globalization;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Resources;

/// <summary>Amounts, dates and cards written the way the person's culture writes them.</summary>
public static class BotFormat
{
    private static readonly ConcurrentDictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>nl-NL: "€ 1.234,50"; en-US: "$1,234.50". The currency's own symbol in the culture's pattern.</summary>
    public static string Money(Money money, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = CurrencySymbol(money.Currency, culture);
        return money.Amount.ToString("C2", format);
    }

    /// <summary>Dates use the pattern in the resources (Format_Date), so each language words them its own way.</summary>
    public static string Date(DateTimeOffset date, CultureInfo culture, string pattern) => date.ToString(pattern, culture);

    /// <summary>"03/28" style expiry, the same in both languages (it is what is printed on cards).</summary>
    public static string Expiry(CardExpiry expiry) => expiry.ToString();

    public static string Brand(CardBrand brand, string unknownBrand) => brand switch
    {
        CardBrand.Visa => "Visa",
        CardBrand.Mastercard => "Mastercard",
        CardBrand.AmericanExpress => "American Express",
        CardBrand.Discover => "Discover",
        _ => unknownBrand,
    };

    /// <summary>
    /// The culture's own symbol when it uses that currency (€ in nl-NL), else the symbol of a culture that does
    /// ($ for USD), else the ISO code. Looked up once per currency.
    /// </summary>
    public static string CurrencySymbol(string currency, CultureInfo culture)
    {
        if (TryRegion(culture, out var own) && string.Equals(own.ISOCurrencySymbol, currency, StringComparison.OrdinalIgnoreCase))
        {
            return culture.NumberFormat.CurrencySymbol;
        }
        return Symbols.GetOrAdd(currency, static code =>
        {
            foreach (var candidate in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
            {
                if (TryRegion(candidate, out var region) && string.Equals(region.ISOCurrencySymbol, code, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(candidate.TwoLetterISOLanguageName, "en", StringComparison.Ordinal))
                {
                    return candidate.NumberFormat.CurrencySymbol;
                }
            }
            return code.ToUpperInvariant();
        });
    }

    private static bool TryRegion(CultureInfo culture, out RegionInfo region)
    {
        try
        {
            region = new RegionInfo(culture.Name);
            return true;
        }
        catch (ArgumentException)
        {
            region = null!;
            return false;
        }
    }
}
