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

    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>Letters of an id that spell its creation time; 26^10 ms reach far past the year 6000.</summary>
    private const int TimeLetters = 10;

    /// <summary>
    /// An opaque reference: letters only, so it can never be mistaken for (or contain) card digits. The first ten
    /// spell the creation time in milliseconds, so ids sort by age and a new row's key lands on the last page of its
    /// index with the other new rows, instead of on a random page that each commit then writes to the WAL. The other
    /// fourteen are random (about 66 bits).
    /// </summary>
    public static string NewId(string prefix, DateTimeOffset createdAt)
    {
        Span<char> id = stackalloc char[24];
        var time = Math.Max(0L, createdAt.ToUnixTimeMilliseconds());
        for (var i = TimeLetters - 1; i >= 0; i--)
        {
            id[i] = Letters[(int)(time % Letters.Length)];
            time /= Letters.Length;
        }

        // One draw for all the random letters: a draw per letter cost a call into OpenSSL (and a getpid) each.
        RandomNumberGenerator.GetItems(Letters, id[TimeLetters..]);
        return string.Concat(prefix, "_", id);
    }
}
