namespace PastDueBot.Domain.Billing;

/// <summary>
/// A card as typed by an admin, on its way to the processor's tokenisation. It lives only for that call:
/// the number and security code are never stored, logged or echoed, and <see cref="ToString"/> masks them.
/// </summary>
public sealed record NewCard(string HolderName, string Number, CardExpiry Expiry, string SecurityCode)
{
    public string LastFour => Number.Length >= 4 ? Number[^4..] : Number;

    public override string ToString() => $"NewCard {{ HolderName = {HolderName}, Number = ****{LastFour}, Expiry = {Expiry}, SecurityCode = *** }}";
}
