namespace PastDueBot.Domain.Billing;

/// <summary>
/// Why a card field was refused. Codes, not sentences: the conversation layer turns each into words in the
/// person's language.
/// </summary>
public enum CardValidationError
{
    HolderNameMissing,
    NumberMissing,
    NumberHasInvalidCharacters,
    NumberFailsChecksum,
    NumberWrongLengthForBrand,
    BrandNotAccepted,
    ExpiryMissing,
    ExpiryUnreadable,
    ExpiryMonthOutOfRange,
    ExpiryYearOutOfRange,
    ExpiryInPast,
    ExpiryTooFarAhead,
    SecurityCodeMissing,
    SecurityCodeNotDigits,
    SecurityCodeWrongLength,
}

/// <summary>One parsed field: the value when <see cref="Error"/> is null.</summary>
public readonly record struct CardField<T>(T Value, CardValidationError? Error)
{
    public bool IsValid => Error is null;

    public static CardField<T> Ok(T value) => new(value, null);

    public static CardField<T> Fail(CardValidationError error) => new(default!, error);
}
