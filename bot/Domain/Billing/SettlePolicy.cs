namespace PastDueBot.Domain.Billing;

/// <summary>Why a settle request cannot go ahead as asked (before any money moves).</summary>
public enum SettleRefusal
{
    /// <summary>Only the admin who added a card may change its expiry (Microsoft 365's MOSA rule).</summary>
    NotCardOwner,

    /// <summary>The new expiry is unreadable, in the past or implausibly far ahead.</summary>
    ExpiryNotUsable,

    /// <summary>An expired card cannot be chosen to pay; its owner can update the expiry first.</summary>
    CardExpired,
}

/// <summary>
/// The settle rules of the Microsoft 365 admin center: the owner of a card may edit its expiry; anyone may pick
/// another unexpired card or add one. "Today" comes from a <see cref="TimeProvider"/>, in UTC.
/// </summary>
public static class SettlePolicy
{
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static bool CanEditExpiry(PaymentMethod card, string adminId) => card.IsOwnedBy(adminId);

    /// <summary>Cards offered under "use another card": expired ones are shown but cannot be picked.</summary>
    public static bool CanChoose(PaymentMethod card, DateOnly today) => !card.IsExpired(today);

    public static IReadOnlyList<PaymentMethod> Choosable(IEnumerable<PaymentMethod> cards, DateOnly today) =>
        cards.Where(c => CanChoose(c, today)).ToList();

    /// <summary>
    /// Checks the expiry edit of a request. Paying with an expired card that is not being fixed is not refused
    /// here: the processor declines it with <see cref="DeclineReason.ExpiredCard"/>, as Microsoft 365's does.
    /// </summary>
    public static SettleRefusal? CheckExpiryEdit(PaymentMethod card, CardExpiry? newExpiry, string adminId, DateOnly today)
    {
        if (newExpiry is not { } expiry)
        {
            return null;
        }

        if (!CanEditExpiry(card, adminId))
        {
            return SettleRefusal.NotCardOwner;
        }

        return expiry.CheckUsable(today) is null ? null : SettleRefusal.ExpiryNotUsable;
    }

    /// <summary>The full request as the review card will submit it: expiry edit first, then the card's usability.</summary>
    public static SettleRefusal? Check(PaymentMethod card, CardExpiry? newExpiry, string adminId, DateOnly today)
    {
        if (CheckExpiryEdit(card, newExpiry, adminId, today) is { } refusal)
        {
            return refusal;
        }

        var effective = newExpiry ?? card.Expiry;
        return effective.IsPast(today) ? SettleRefusal.CardExpired : null;
    }
}
