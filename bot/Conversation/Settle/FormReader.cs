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
        var holder = submit.GetString(CardIds.HolderName)?.Trim();
        if (string.IsNullOrEmpty(holder) || holder.Length is < 2 or > 50) return FormResult<NewCard>.Invalid(t[K.Error_Holder]);

        var digits = CardNumberCheck.Digits(submit.GetString(CardIds.CardNumber) ?? "");
        if (!CardNumberCheck.IsWellFormed(digits)) return FormResult<NewCard>.Invalid(t[K.Error_Number]);
        if (!CardNumberCheck.PassesLuhn(digits)) return FormResult<NewCard>.Invalid(t[K.Error_NumberLuhn]);
        var brand = CardNumberCheck.Brand(digits);
        if (brand == CardBrand.Unknown) return FormResult<NewCard>.Invalid(t[K.Error_NumberBrand]);

        var expiry = Expiry(submit, today, t);
        if (!expiry.IsValid) return FormResult<NewCard>.Invalid(expiry.Problem!);

        var code = submit.GetString(CardIds.SecurityCode)?.Trim() ?? "";
        var codeLength = brand == CardBrand.AmericanExpress ? 4 : 3;
        if (code.Length != codeLength || !code.All(char.IsAsciiDigit)) return FormResult<NewCard>.Invalid(t[K.Error_SecurityCode]);

        return FormResult<NewCard>.Valid(new NewCard(holder, digits, expiry.Value, code));
    }

    /// <summary>The name and expiry to fill in again on a re-prompt: never the number or the security code.</summary>
    public static (string? Holder, CardExpiry? Expiry) Refill(CardSubmit submit) =>
        (submit.GetString(CardIds.HolderName)?.Trim(),
         TryInt(submit.GetString(CardIds.ExpiryMonth), out var month) && TryInt(submit.GetString(CardIds.ExpiryYear), out var year)
            && month is >= 1 and <= 12 ? new CardExpiry(month, year) : null);

    private static bool TryInt(string? text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
