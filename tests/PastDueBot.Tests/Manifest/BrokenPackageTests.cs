using System.Text.Json.Nodes;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Manifest;

/// <summary>package.sh refuses to write a package Teams would reject, and says why.</summary>
public sealed class BrokenPackageTests
{
    [Theory]
    [InlineData("no-bot-id", "must have required property 'botId'")]
    [InlineData("two-part-version", "is not MAJOR.MINOR.PATCH")]
    [InlineData("old-schema", "older than 1.22")]
    [InlineData("untranslated-key", "names nothing in manifest.json")]
    [InlineData("coloured-outline", "neither white nor fully transparent")]
    public async Task A_broken_manifest_is_refused_with_the_reason(string breakage, string reason)
    {
        var source = CopyManifestSource();
        var outDir = Directory.CreateTempSubdirectory("pastduebot-broken-out-");
        try
        {
            Break(source.FullName, breakage);

            var result = await AppPackage.RunPackageScriptAsync("--app-id", AppPackage.TestAppId, "--out", outDir.FullName, "--source", source.FullName);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(reason, result.StdErr, StringComparison.Ordinal);
            Assert.Contains("refusing to build an invalid package", result.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(outDir.FullName, "PastDueBot.zip")));
        }
        finally
        {
            source.Delete(recursive: true);
            outDir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    public async Task An_app_id_that_is_not_a_guid_is_refused(string appId)
    {
        var outDir = Directory.CreateTempSubdirectory("pastduebot-broken-out-");
        try
        {
            var result = await AppPackage.RunPackageScriptAsync("--app-id", appId, "--out", outDir.FullName);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("MicrosoftAppId", result.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(outDir.FullName, "PastDueBot.zip")));
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_committed_icons_are_what_the_generator_draws()
    {
        var dir = Directory.CreateTempSubdirectory("pastduebot-icons-");
        try
        {
            var result = await ExternalTool.RunAsync(
                ExternalTool.Require("node"), [RepoPaths.Combine("manifest", "tools", "draw-icons.mjs"), dir.FullName], RepoPaths.Root);

            Assert.True(result.ExitCode == 0, result.StdErr);
            foreach (var icon in new[] { "color.png", "outline.png" })
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(dir.FullName, icon)).SequenceEqual(File.ReadAllBytes(RepoPaths.Combine("manifest", icon))),
                    $"manifest/{icon} differs from what manifest/tools/draw-icons.mjs draws; rerun it and commit the result.");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static DirectoryInfo CopyManifestSource()
    {
        var dir = Directory.CreateTempSubdirectory("pastduebot-manifest-src-");
        foreach (var file in new[] { "manifest.json", "nl-nl.json", "color.png", "outline.png" })
        {
            File.Copy(RepoPaths.Combine("manifest", file), Path.Combine(dir.FullName, file));
        }
        return dir;
    }

    private static void Break(string dir, string breakage)
    {
        var path = Path.Combine(dir, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        switch (breakage)
        {
            case "no-bot-id":
                manifest["bots"]![0]!.AsObject().Remove("botId");
                break;
            case "two-part-version":
                manifest["version"] = "1.0";
                break;
            case "old-schema":
                manifest["manifestVersion"] = "1.17";
                manifest["$schema"] = "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json";
                break;
            case "untranslated-key":
                manifest["bots"]![0]!["commandLists"]![1]!["commands"]!.AsArray().RemoveAt(4);
                break;
            case "coloured-outline":
                File.Copy(Path.Combine(dir, "color.png"), Path.Combine(dir, "outline-colour.png"));
                manifest["icons"]!["outline"] = "outline-colour.png";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null);
        }
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
