namespace PastDueBot.Domain.Billing;

/// <summary>
/// The "add a new card" form checked as a whole: every field's <see cref="CardValidationError"/> at once, so the
/// person can fix them in one go, and the <see cref="NewCard"/> (digits only) when all are fine.
/// </summary>
public sealed record CardValidation(NewCard? Card, CardBrand Brand, IReadOnlyList<CardValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Card is not null;

    public static CardValidation Validate(string? holderName, string? number, string? expiry, string? securityCode, DateOnly today) =>
        Validate(holderName, number, CardExpiry.Parse(expiry), securityCode, today);

    public static CardValidation Validate(string? holderName, string? number, CardField<CardExpiry> expiry, string? securityCode, DateOnly today)
    {
        var errors = new List<CardValidationError>();
        if (string.IsNullOrWhiteSpace(holderName))
        {
            errors.Add(CardValidationError.HolderNameMissing);
        }

        var parsed = CardNumber.Parse(number);
        if (parsed.Error is { } numberError)
        {
            errors.Add(numberError);
        }

        if (expiry.Error is { } expiryError)
        {
            errors.Add(expiryError);
        }
        else if (expiry.Value.CheckUsable(today) is { } usableError)
        {
            errors.Add(usableError);
        }

        // Without a brand the expected code length is unknown; judge it as the common three digits.
        var brand = parsed.IsValid ? parsed.Value.Brand : CardNumber.DetectBrand(CardNumber.Normalize(number ?? string.Empty) ?? string.Empty);
        if (SecurityCode.Check(securityCode, brand) is { } codeError)
        {
            errors.Add(codeError);
        }

        var card = errors.Count == 0
            ? new NewCard(holderName!.Trim(), parsed.Value.Digits, expiry.Value, securityCode!.Trim())
            : null;
        return new CardValidation(card, brand, errors);
    }

    /// <summary>Re-checks a card built elsewhere (the processor never trusts its caller).</summary>
    public static CardValidation Validate(NewCard card, DateOnly today) =>
        Validate(card.HolderName, card.Number, CardField<CardExpiry>.Ok(card.Expiry), card.SecurityCode, today);

    /// <summary>Masks the card it carries; the errors are codes only.</summary>
    public override string ToString() =>
        $"CardValidation {{ Card = {Card}, Brand = {Brand}, Errors = [{string.Join(", ", Errors)}] }}";
}
