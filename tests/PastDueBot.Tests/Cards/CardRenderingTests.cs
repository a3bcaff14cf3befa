using PastDueBot.Cards;
using PastDueBot.Cards.Model;

namespace PastDueBot.Tests.Cards;

/// <summary>
/// The official Adaptive Cards renderer, with the Teams host config and Teams' 1.5 limit, must accept every card
/// the typed model produces without a single parse or validation warning, and must catch broken cards.
/// </summary>
public sealed class CardRenderingTests
{
    [Fact]
    public async Task Every_element_and_action_of_the_model_renders_without_warnings()
    {
        var cards = SampleCards.All().ToList();
        // With PASTDUEBOT_GALLERY=1 the screenshots refresh docs/gallery/model/; otherwise they are thrown away.
        var pngDir = CardRenderer.GalleryRequested
            ? Directory.CreateDirectory(Path.Combine(CardRenderer.GalleryDirectory, "model"))
            : Directory.CreateTempSubdirectory("pastduebot-card-png-");
        try
        {
            var reports = await CardRenderer.RenderAsync(cards, pngDir.FullName);

            Assert.Equal(cards.Select(c => c.Name).Order(), reports.Select(r => r.Name).Order());
            Assert.All(reports, r => Assert.True(r.IsClean, r.ToString()));
            Assert.All(reports, r => Assert.Equal("1.5", r.Version));
            Assert.All(reports, r => AssertPng(Path.Combine(pngDir.FullName, r.Name + ".png")));
        }
        finally
        {
            if (!CardRenderer.GalleryRequested) pngDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_harness_reports_each_kind_of_broken_card()
    {
        var pngDir = Directory.CreateTempSubdirectory("pastduebot-broken-png-"); // never the gallery
        Dictionary<string, CardRenderReport> reports;
        try
        {
            reports = (await CardRenderer.RenderJsonAsync(BrokenCards(), pngDir.FullName)).ToDictionary(r => r.Name);
        }
        finally
        {
            pngDir.Delete(recursive: true);
        }

        Assert.Contains(reports["unknown-element"].Warnings, f => f.Event == "UnknownElementType");
        Assert.Contains(reports["duplicate-id"].Warnings, f => f.Event == "DuplicateId");
        Assert.Contains(reports["required-without-label"].Warnings, f => f.Event == "RequiredInputsShouldHaveLabel");
        Assert.Contains(reports["version-1-6"].Warnings, f => f.Event == "UnsupportedCardVersion");
        Assert.Contains(reports["newer-property"].Warnings, f => f.Event == "UnsupportedProperty");
        Assert.Contains(reports["no-version"].Errors, f => f.Event == "MissingVersion");
        Assert.Contains(reports["not-json"].Errors, f => f.Event == "InvalidJson");
        Assert.Contains(reports["external-image"].Warnings, f => f.Event == "BlockedRequest");
        Assert.True(reports["clean-control"].IsClean, reports["clean-control"].ToString());
        Assert.All(reports.Values.Where(r => r.Name != "clean-control"), r => Assert.False(r.IsClean, r.Name));
    }

    private static IEnumerable<(string Name, string Json)> BrokenCards()
    {
        const string Label = "\"label\":\"Name\",\"errorMessage\":\"Required\"";
        return
        [
            ("unknown-element", Card("1.5", """{"type":"Input.Rating","id":"stars"}""")),
            ("duplicate-id", Card("1.5", $$"""{"type":"Input.Text","id":"name",{{Label}}},{"type":"Input.Text","id":"name",{{Label}}}""")),
            ("required-without-label", Card("1.5", """{"type":"Input.Text","id":"name","isRequired":true,"errorMessage":"Required"}""")),
            ("version-1-6", Card("1.6", """{"type":"TextBlock","text":"Hi"}""")),
            ("newer-property", Card("1.2", """{"type":"TextBlock","text":"Hi","style":"heading"}""")),
            ("no-version", """{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"Hi"}]}"""),
            ("not-json", "{\"type\":"),
            ("external-image", Card("1.5", """{"type":"Image","url":"https://example.com/logo.png","altText":"Logo"}""")),
            ("clean-control", CardJson.Serialize(new AdaptiveCard { Body = [new TextBlock("Hi")] })),
        ];
    }

    private static string Card(string version, string body) =>
        $$"""{"type":"AdaptiveCard","version":"{{version}}","body":[{{body}}]}""";

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var head = File.ReadAllBytes(path).AsSpan(0, 24);
        Assert.True(head[..8].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
        var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(head[16..20]);
        var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(head[20..24]);
        Assert.InRange(width, 300, 800);
        Assert.InRange(height, 40, 4000);
    }
}
