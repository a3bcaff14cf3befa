using System.Globalization;

namespace PastDueBot.Domain.Billing;

/// <summary>A card's expiry: valid through the last day of <see cref="Month"/>/<see cref="Year"/>.</summary>
public readonly record struct CardExpiry(int Month, int Year)
{
    /// <summary>Issuers print expiries at most a few years out; twenty covers every real card.</summary>
    public const int MaxYearsAhead = 20;

    public bool IsValid => Month is >= 1 and <= 12 && Year is >= 2000 and <= 2099;

    /// <summary>True once the month has ended: a card expiring 11/2026 still works on 30 November 2026.</summary>
    public bool IsPast(DateOnly today) => Year < today.Year || (Year == today.Year && Month < today.Month);

    public override string ToString() => $"{Month:00}/{Year % 100:00}";

    /// <summary>Whether a card with this expiry can be used or saved today; null when it can.</summary>
    public CardValidationError? CheckUsable(DateOnly today)
    {
        if (!IsValid)
        {
            return Month is < 1 or > 12 ? CardValidationError.ExpiryMonthOutOfRange : CardValidationError.ExpiryYearOutOfRange;
        }

        if (IsPast(today))
        {
            return CardValidationError.ExpiryInPast;
        }

        return Year > today.Year + MaxYearsAhead ? CardValidationError.ExpiryTooFarAhead : null;
    }

    /// <summary>"MM/YY" or "MM/YYYY" as printed on cards; a dash or spaces around the slash are accepted too.</summary>
    public static CardField<CardExpiry> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return CardField<CardExpiry>.Fail(CardValidationError.ExpiryMissing);
        }

        var parts = text.Split(['/', '-'], StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts[0].Length is 1 or 2 && parts[1].Length is 2 or 4
            ? FromParts(parts[0], parts[1])
            : CardField<CardExpiry>.Fail(CardValidationError.ExpiryUnreadable);
    }

    /// <summary>Separate month and year inputs (e.g. two choice sets); a two-digit year means 20YY.</summary>
    public static CardField<CardExpiry> FromParts(string? month, string? year)
    {
        if (string.IsNullOrWhiteSpace(month) || string.IsNullOrWhiteSpace(year))
        {
            return CardField<CardExpiry>.Fail(CardValidationError.ExpiryMissing);
        }

        month = month.Trim();
        year = year.Trim();
        if (!IsDigits(month) || !IsDigits(year) || month.Length > 2 || year.Length is not (2 or 4))
        {
            return CardField<CardExpiry>.Fail(CardValidationError.ExpiryUnreadable);
        }

        var m = int.Parse(month, NumberStyles.None, CultureInfo.InvariantCulture);
        var y = int.Parse(year, NumberStyles.None, CultureInfo.InvariantCulture);
        return FromParts(m, year.Length == 2 ? 2000 + y : y);
    }

    public static CardField<CardExpiry> FromParts(int month, int year)
    {
        if (month is < 1 or > 12)
        {
            return CardField<CardExpiry>.Fail(CardValidationError.ExpiryMonthOutOfRange);
        }

        return year is < 2000 or > 2099
            ? CardField<CardExpiry>.Fail(CardValidationError.ExpiryYearOutOfRange)
            : CardField<CardExpiry>.Ok(new CardExpiry(month, year));
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return s.Length > 0;
    }
}
