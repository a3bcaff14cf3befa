using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using PastDueBot.Conversation.Resources;

namespace PastDueBot.Tests.Conversation;

/// <summary>The real resources through Microsoft.Extensions.Localization, as the bot gets them.</summary>
internal static class TestTexts
{
    private static readonly Lazy<BotTexts> Instance = new(() =>
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        return new BotTexts(services.GetRequiredService<IStringLocalizer<BotText>>());
    });

    /// <summary>The texts with <paramref name="culture"/> applied to the calling flow (call at the start of a test).</summary>
    public static BotTexts In(string culture)
    {
        BotLanguages.Apply(System.Globalization.CultureInfo.GetCultureInfo(culture));
        return Instance.Value;
    }
}
