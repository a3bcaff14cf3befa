using System.Security.Cryptography;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Storage.Billing;

/// <summary>
/// The demo's stand-in for a card processor, with declines you can provoke on purpose (numbers as in Stripe's
/// test mode). Tokenisation remembers a test number's behaviour against the token, as a real processor knows the
/// number behind its token; the number itself is forgotten.
/// <list type="bullet">
/// <item>4000 0000 0000 0002 → <see cref="DeclineReason.Declined"/> (generic decline)</item>
/// <item>4000 0000 0000 9995 → <see cref="DeclineReason.InsufficientFunds"/></item>
/// <item>4000 0000 0000 0069 → <see cref="DeclineReason.ExpiredCard"/></item>
/// <item>4000 0000 0000 0127 → <see cref="DeclineReason.IncorrectSecurityCode"/></item>
/// <item>4000 0000 0000 0119 → <see cref="DeclineReason.ProcessorUnavailable"/></item>
/// <item>a card whose expiry has passed → <see cref="DeclineReason.ExpiredCard"/></item>
/// <item>any other number that passes the checks → paid</item>
/// </list>
/// </summary>
internal static class DemoProcessor
{
    private static readonly Dictionary<string, DeclineReason> TestNumbers = new(StringComparer.Ordinal)
    {
        ["4000000000000002"] = DeclineReason.Declined,
        ["4000000000009995"] = DeclineReason.InsufficientFunds,
        ["4000000000000069"] = DeclineReason.ExpiredCard,
        ["4000000000000127"] = DeclineReason.IncorrectSecurityCode,
        ["4000000000000119"] = DeclineReason.ProcessorUnavailable,
    };

    /// <summary>The decline a test number is wired to, or null for a card that pays.</summary>
    public static DeclineReason? TestDeclineFor(string digits) =>
        TestNumbers.TryGetValue(digits, out var reason) ? reason : null;

    /// <summary>The processor's answer to a charge on a card with this expiry and wiring.</summary>
    public static DeclineReason? Charge(CardExpiry expiry, DeclineReason? testDecline, DateOnly today) =>
        expiry.IsPast(today) ? DeclineReason.ExpiredCard : testDecline;

    /// <summary>An opaque reference: letters only, so it can never be mistaken for (or contain) card digits.</summary>
    public static string NewId(string prefix) =>
        // Random bytes for all 24 letters in one go: a draw per letter cost a call into OpenSSL (and a getpid) each,
        // about 200 per first contact while the demo ledger is seeded.
        prefix + "_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz", 24);
}
