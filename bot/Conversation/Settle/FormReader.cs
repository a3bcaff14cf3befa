using System.Globalization;
using PastDueBot.Conversation.Cards;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;
using PastDueBot.Protocol.Dialogs;
using K = PastDueBot.Conversation.Resources.TextKeys;

namespace PastDueBot.Conversation.Settle;

/// <summary>A form read on the server: the value, or what was wrong in the person's language.</summary>
public sealed record FormResult<T>(T? Value, string? Problem)
{
    public bool IsValid => Problem is null;

    public static FormResult<T> Valid(T value) => new(value, null);

    public static FormResult<T> Invalid(string problem) => new(default, problem);
}

/// <summary>
/// Server-side validation of every form: the card's own validation is advisory (any client can post anything),
/// so each value is checked again here.
/// </summary>
public static class FormReader
{
    public static FormResult<CardExpiry> Expiry(CardSubmit submit, DateOnly today, BotTexts t)
    {
        if (!TryInt(submit.GetString(CardIds.ExpiryMonth), out var month) || month is < 1 or > 12) return FormResult<CardExpiry>.Invalid(t[K.Error_Month]);
        if (!TryInt(submit.GetString(CardIds.ExpiryYear), out var year) || year < today.Year || year > today.Year + 20) return FormResult<CardExpiry>.Invalid(t[K.Error_Year]);
        var expiry = new CardExpiry(month, year);
        if (expiry.IsPast(today)) return FormResult<CardExpiry>.Invalid(t[K.Error_ExpiryInPast, new CardExpiry(today.Month, today.Year).ToString()]);
        return FormResult<CardExpiry>.Valid(expiry);
    }

    /// <summary>The chosen saved card; only ids in <paramref name="usableIds"/> (not expired, not the one on file) count.</summary>
    public static FormResult<string> ChosenCard(CardSubmit submit, IReadOnlyCollection<string> usableIds, BotTexts t)
    {
        var id = submit.GetString(CardIds.PaymentMethodId);
        return id is not null && usableIds.Contains(id) ? FormResult<string>.Valid(id) : FormResult<string>.Invalid(t[K.ChooseCard_Error]);
    }

    /// <summary>
    /// A new card, checked field by field. The result holds the full number and security code: hand it straight to
    /// tokenisation and let it go; never store, log or echo it.
    /// </summary>
    public static FormResult<NewCard> NewCard(CardSubmit submit, DateOnly today, BotTexts t)
    {
        var expiry = Expiry(submit, today, t);
        var validation = CardValidation.Validate(
            submit.GetString(CardIds.HolderName),
            submit.GetString(CardIds.CardNumber),
            expiry.IsValid ? CardField<CardExpiry>.Ok(expiry.Value) : CardField<CardExpiry>.Fail(CardValidationError.ExpiryUnreadable),
            submit.GetString(CardIds.SecurityCode),
            today);
        if (validation.IsValid) return FormResult<NewCard>.Valid(validation.Card!);

        // Every field's problem at once, so they can all be fixed in one go.
        var problems = validation.Errors
            .Select(error => error is CardValidationError.ExpiryUnreadable && expiry.Problem is { } expiryProblem ? expiryProblem : Describe(error, t))
            .Distinct(StringComparer.Ordinal);
        return FormResult<NewCard>.Invalid(string.Join(" ", problems));
    }

    /// <summary>The domain's validation codes in the person's words.</summary>
    public static string Describe(CardValidationError error, BotTexts t) => error switch
    {
        CardValidationError.HolderNameMissing => t[K.Error_Holder],
        CardValidationError.NumberFailsChecksum => t[K.Error_NumberLuhn],
        CardValidationError.BrandNotAccepted => t[K.Error_NumberBrand],
        CardValidationError.NumberMissing or CardValidationError.NumberHasInvalidCharacters or CardValidationError.NumberWrongLengthForBrand => t[K.Error_Number],
        CardValidationError.ExpiryMonthOutOfRange => t[K.Error_Month],
        CardValidationError.ExpiryInPast or CardValidationError.ExpiryMissing or CardValidationError.ExpiryUnreadable or CardValidationError.ExpiryYearOutOfRange or CardValidationError.ExpiryTooFarAhead => t[K.Error_Year],
        _ => t[K.Error_SecurityCode],
    };

    /// <summary>The name and expiry to fill in again on a re-prompt: never the number or the security code.</summary>
    public static (string? Holder, CardExpiry? Expiry) Refill(CardSubmit submit) =>
        (submit.GetString(CardIds.HolderName)?.Trim(),
         TryInt(submit.GetString(CardIds.ExpiryMonth), out var month) && TryInt(submit.GetString(CardIds.ExpiryYear), out var year)
            && month is >= 1 and <= 12 ? new CardExpiry(month, year) : null);

    private static bool TryInt(string? text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
