using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using PastDueBot.Conversation.Resources;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Tests.Conversation;

public sealed partial class LocalizationTests
{
    private static IEnumerable<string> AllKeys() => typeof(TextKeys)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetRawConstantValue()!);

    public static TheoryData<string> Keys() => [.. AllKeys()];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_has_English_and_Dutch_text_with_the_same_placeholders(string key)
    {
        var english = TestTexts.In("en-US")[key];
        var dutch = TestTexts.In("nl-NL")[key];

        Assert.False(string.IsNullOrWhiteSpace(english));
        Assert.False(string.IsNullOrWhiteSpace(dutch));
        Assert.NotEqual(key, english); // a missing resource comes back as its name
        Assert.NotEqual(key, dutch);
        Assert.Equal(Placeholders(english), Placeholders(dutch));
    }

    [Fact]
    public void The_Dutch_resources_are_a_satellite_assembly_with_every_key_translated()
    {
        var manager = new ResourceManager(typeof(BotText).FullName!, typeof(BotText).Assembly);
        var dutch = manager.GetResourceSet(CultureInfo.GetCultureInfo("nl-NL"), createIfNotExists: true, tryParents: false);
        Assert.NotNull(dutch);
        var identical = AllKeys().Where(key => dutch.GetString(key) == manager.GetString(key, CultureInfo.InvariantCulture)).ToList();
        // Only words that are the same in both languages may be equal.
        Assert.All(identical, key => Assert.Contains(key, new[] { TextKeys.Help_Help_Command }));
    }

    [Fact]
    public void Teams_locales_and_personal_choices_resolve_to_the_two_languages()
    {
        Assert.Equal("nl-NL", BotLanguages.Resolve(null, "nl-BE").Name);
        Assert.Equal("en-US", BotLanguages.Resolve(null, "fr-FR").Name);
        Assert.Equal("en-US", BotLanguages.Resolve("en-US", "nl-NL").Name); // the person's choice wins
        Assert.Equal("nl-NL", BotLanguages.Resolve("nl-NL", "en-US").Name);
        Assert.Equal("nl-NL", BotLanguages.Parse("Nederlands")!.Name);
    }

    [Fact]
    public void Amounts_are_written_in_the_persons_culture()
    {
        var nl = CultureInfo.GetCultureInfo("nl-NL");
        var en = CultureInfo.GetCultureInfo("en-US");
        Assert.Equal("€ 1.234,50", Normalize(BotFormat.Money(new Money(1234.5m, "EUR"), nl)));
        Assert.Equal("$1,234.50", BotFormat.Money(new Money(1234.5m, "USD"), en));
        Assert.Equal("€1,234.50", BotFormat.Money(new Money(1234.5m, "EUR"), en));
        Assert.Equal("$ 264,00", Normalize(BotFormat.Money(new Money(264m, "USD"), nl)));
    }

    [Fact]
    public void Dates_and_day_counts_read_naturally_in_both_languages()
    {
        var date = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var en = TestTexts.In("en-US");
        Assert.Equal("November 26, 2026", en.Date(date));
        Assert.Equal("1 day", en.Days(1));
        Assert.Equal("12 days", en.Days(12));
        var nl = TestTexts.In("nl-NL");
        Assert.Equal("26 november 2026", nl.Date(date));
        Assert.Equal("12 dagen", nl.Days(12));
        Assert.Equal("Visa eindigend op 4242, geldig t/m 03/28",
            nl.Card(new PaymentMethod("pm", CardBrand.Visa, "4242", new CardExpiry(3, 2028), "A", "o", null)));
    }

    // ICU writes a non-breaking space between symbol and amount in nl-NL.
    private static string Normalize(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static string[] Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(match => match.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
