using System.IO.Compression;
using System.Text.Json.Nodes;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Manifest;

/// <summary>The Teams app package that manifest/package.sh builds: layout, ids, commands, icons and schema.</summary>
public sealed class AppPackageTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private JsonNode Manifest => JsonNode.Parse(AppPackage.ReadEntry(package.Zip, "manifest.json"))!;

    [Fact]
    public void The_zip_holds_the_manifest_icons_and_localization_at_its_root()
    {
        var names = package.Zip.Entries.Select(e => e.FullName).Order().ToList();

        Assert.Equal(["color.png", "manifest.json", "nl-nl.json", "outline.png"], names);
    }

    [Fact]
    public void The_app_and_bot_ids_are_the_configured_app_id()
    {
        var manifest = Manifest;

        Assert.Equal(AppPackage.TestAppId, (string?)manifest["id"]);
        Assert.Equal(AppPackage.TestAppId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.DoesNotContain("${{", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_bot_lives_in_every_scope_and_lists_its_commands()
    {
        var manifest = Manifest;
        var bot = manifest["bots"]![0]!;
        var version = Version.Parse((string)manifest["manifestVersion"]!);

        Assert.True(version >= new Version(1, 22), $"manifestVersion {version} is older than 1.22");
        Assert.Equal(["groupChat", "personal", "team"], bot["scopes"]!.AsArray().Select(s => (string)s!).Order());
        var commands = bot["commandLists"]!.AsArray()
            .SelectMany(list => list!["commands"]!.AsArray().Select(c => (string)c!["title"]!))
            .ToHashSet();
        Assert.Equal(["alerts off", "alerts on", "alerts status", "help", "settle"], commands.Order());
        Assert.Equal("nl-nl", (string?)manifest["localizationInfo"]!["additionalLanguages"]![0]!["languageTag"]);
        Assert.StartsWith("https://", (string)manifest["developer"]!["privacyUrl"]!, StringComparison.Ordinal);
        Assert.StartsWith("https://", (string)manifest["developer"]!["termsOfUseUrl"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_colour_icon_is_192_square_and_the_outline_is_white_on_transparent_32_square()
    {
        var color = PngImage.Decode(AppPackage.ReadEntry(package.Zip, "color.png"));
        var outline = PngImage.Decode(AppPackage.ReadEntry(package.Zip, "outline.png"));

        Assert.Equal((192, 192), (color.Width, color.Height));
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        var pixels = outline.Pixels().ToList();
        Assert.All(pixels, p => Assert.True(p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), $"pixel {p} is neither transparent nor white"));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
        Assert.Equal(0, outline.Pixel(0, 0).A); // a transparent background, not a white square
    }

    [Fact]
    public async Task The_packaged_manifest_validates_offline_against_the_bundled_schema()
    {
        var dir = Directory.CreateTempSubdirectory("pastduebot-unzipped-");
        try
        {
            package.Zip.ExtractToDirectory(dir.FullName);

            var result = await AppPackage.ValidateAsync(Path.Combine(dir.FullName, "manifest.json"));

            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Contains("valid:", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
