using System.IO.Compression;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Manifest;

/// <summary>Runs manifest/package.sh and the validator the way a developer would.</summary>
public static class AppPackage
{
    public const string TestAppId = "3f2a6c1e-8b4d-4e7a-9c55-1d2e3f4a5b6c";

    /// <summary>Runs package.sh with the given arguments; MicrosoftAppId is cleared so only --app-id counts.</summary>
    public static Task<ToolResult> RunPackageScriptAsync(params string[] arguments) =>
        ExternalTool.RunAsync(
            ExternalTool.Require("bash"),
            [RepoPaths.Combine("manifest", "package.sh"), .. arguments],
            RepoPaths.Root,
            new Dictionary<string, string?> { ["MicrosoftAppId"] = null });

    public static Task<ToolResult> ValidateAsync(string manifestPath) =>
        ExternalTool.RunAsync(ExternalTool.Require("node"), [RepoPaths.Combine("manifest", "tools", "validate.mjs"), manifestPath], RepoPaths.Root);

    /// <summary>Builds the package into a fresh temporary folder and opens it; the caller disposes both.</summary>
    public static async Task<(ZipArchive Zip, DirectoryInfo OutDir)> BuildAsync()
    {
        var outDir = Directory.CreateTempSubdirectory("pastduebot-package-");
        var result = await RunPackageScriptAsync("--app-id", TestAppId, "--out", outDir.FullName);
        Assert.True(result.ExitCode == 0, $"package.sh failed ({result.ExitCode}): {result.StdErr}");
        return (ZipFile.OpenRead(Path.Combine(outDir.FullName, "PastDueBot.zip")), outDir);
    }

    public static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{name} is not in the package.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
