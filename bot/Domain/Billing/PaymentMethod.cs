namespace PastDueBot.Domain.Billing;

/// <summary>
/// A saved card, as much of it as is ever kept: brand, last four digits, expiry and the holder's name.
/// <see cref="OwnerId"/> is the directory object id of the admin who added it; only the owner may edit it.
/// </summary>
public sealed record PaymentMethod(
    string Id,
    CardBrand Brand,
    string LastFour,
    CardExpiry Expiry,
    string HolderName,
    string OwnerId,
    string? OwnerName)
{
    public bool IsExpired(DateOnly today) => Expiry.IsPast(today);

    public bool IsOwnedBy(string objectId) => string.Equals(OwnerId, objectId, StringComparison.OrdinalIgnoreCase);
}
