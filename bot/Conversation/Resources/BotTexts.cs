using System.Globalization;
using Microsoft.Extensions.Localization;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Resources;

/// <summary>
/// The bot's words in the current turn's language (see <see cref="BotLanguages.Apply"/>), with the formatting
/// helpers that need them: amounts, dates, day counts, masked cards and decline reasons.
/// </summary>
public sealed class BotTexts(IStringLocalizer<BotText> localizer)
{
    public CultureInfo Culture => CultureInfo.CurrentUICulture;

    public string this[string key] => localizer[key].Value;

    public string this[string key, params object[] arguments] => localizer[key, arguments].Value;

    public string Money(Money money) => BotFormat.Money(money, Culture);

    public string Date(DateTimeOffset date) => BotFormat.Date(date, Culture, this[TextKeys.Format_Date]);

    public string Days(int days) => days == 1 ? this[TextKeys.Days_One] : this[TextKeys.Days_Many, days];

    public string Brand(CardBrand brand) => BotFormat.Brand(brand, this[TextKeys.Brand_Unknown]);

    /// <summary>"Visa ending in 4242, expires 03/28": all that is ever shown of a card.</summary>
    public string Card(PaymentMethod card) => this[TextKeys.Card_Masked, Brand(card.Brand), card.LastFour, BotFormat.Expiry(card.Expiry)];

    public string Reason(DeclineReason? reason) => reason switch
    {
        DeclineReason.ExpiredCard => this[TextKeys.Reason_ExpiredCard],
        DeclineReason.Declined => this[TextKeys.Reason_Declined],
        DeclineReason.InsufficientFunds => this[TextKeys.Reason_InsufficientFunds],
        DeclineReason.IncorrectSecurityCode => this[TextKeys.Reason_IncorrectSecurityCode],
        DeclineReason.ProcessorUnavailable => this[TextKeys.Reason_ProcessorUnavailable],
        _ => this[TextKeys.Reason_Unknown],
    };

    /// <summary>The reason as a sentence: first letter up, full stop.</summary>
    public string ReasonSentence(DeclineReason? reason)
    {
        var text = Reason(reason);
        return text.Length == 0 ? text : char.ToUpper(text[0], Culture) + text[1..] + ".";
    }
}
