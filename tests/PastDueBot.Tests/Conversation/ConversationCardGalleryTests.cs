using System.Reflection;
using PastDueBot.Cards.Model;
using PastDueBot.Conversation.Cards;
using PastDueBot.Tests.Cards;

namespace PastDueBot.Tests.Conversation;

/// <summary>
/// Every card the conversation layer can send, in English and Dutch, through the official Adaptive Cards renderer
/// with the Teams host config: not one parse or validation warning. With PASTDUEBOT_GALLERY=1 the screenshots
/// refresh docs/gallery/conversation/{en,nl}/ for the README.
/// </summary>
public sealed class ConversationCardGalleryTests
{
    private static readonly (string Folder, string Culture)[] Languages = [("en", "en-US"), ("nl", "nl-NL")];

    [Fact]
    public async Task Every_conversation_card_renders_cleanly_in_English_and_Dutch()
    {
        foreach (var (folder, culture) in Languages)
        {
            // Built eagerly: the texts follow the culture applied to this flow.
            var texts = TestTexts.In(culture);
            var cards = CardBuilderTests.Builders.Select(pair => (pair.Key, pair.Value(texts))).ToList();
            var pngDir = CardRenderer.GalleryRequested
                ? Directory.CreateDirectory(Path.Combine(CardRenderer.GalleryDirectory, "conversation", folder))
                : Directory.CreateTempSubdirectory("pastduebot-conversation-png-");
            try
            {
                var reports = await CardRenderer.RenderAsync(cards, pngDir.FullName);

                Assert.Equal(cards.Select(c => c.Key).Order(), reports.Select(r => r.Name).Order());
                Assert.All(reports, r => Assert.True(r.IsClean, $"{culture} {r}"));
                Assert.All(reports, r => Assert.Equal("1.5", r.Version));
                Assert.All(reports, r => Assert.True(new FileInfo(Path.Combine(pngDir.FullName, r.Name + ".png")).Length > 0, r.Name));
            }
            finally
            {
                if (!CardRenderer.GalleryRequested) pngDir.Delete(recursive: true);
            }
        }
    }

    /// <summary>A new card builder must join the gallery (and the builder tests) before it can ship.</summary>
    [Fact]
    public void The_gallery_covers_every_card_builder_of_the_conversation_layer()
    {
        var builders = typeof(WelcomeCards).Assembly.GetTypes()
            .Where(type => type.IsPublic && type.Namespace == typeof(WelcomeCards).Namespace && type.IsAbstract && type.IsSealed)
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(method => method.ReturnType == typeof(AdaptiveCard))
                .Select(method => $"{type.Name}.{method.Name}"))
            .Order()
            .ToList();

        Assert.Equal(
        [
            "AccessCards.NotAnAdmin", "AccessCards.UnknownUser", "ActionCards.Choose", "FormCards.AddCard", "FormCards.ChooseCard",
            "FormCards.EditExpiry", "PaymentCards.Declined", "PaymentCards.Processing", "PaymentCards.Receipt", "PaymentCards.Review",
            "SubscriptionCards.Choose", "SubscriptionCards.Confirm", "WelcomeCards.Help", "WelcomeCards.StepDone", "WelcomeCards.Welcome",
        ], builders);
    }
}
