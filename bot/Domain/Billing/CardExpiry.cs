namespace PastDueBot.Domain.Billing;

/// <summary>A card's expiry: valid through the last day of <see cref="Month"/>/<see cref="Year"/>.</summary>
public readonly record struct CardExpiry(int Month, int Year)
{
    public bool IsValid => Month is >= 1 and <= 12 && Year is >= 2000 and <= 2099;

    /// <summary>True once the month has ended: a card expiring 11/2026 still works on 30 November 2026.</summary>
    public bool IsPast(DateOnly today) => Year < today.Year || (Year == today.Year && Month < today.Month);

    public override string ToString() => $"{Month:00}/{Year % 100:00}";
}
