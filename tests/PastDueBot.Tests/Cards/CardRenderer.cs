using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PastDueBot.Cards;
using PastDueBot.Cards.Model;
using PastDueBot.Tests.Support;

namespace PastDueBot.Tests.Cards;

/// <summary>
/// Renders cards with the official Adaptive Cards renderer in headless Chromium (tests/render/render-cards.mjs) and
/// returns what it reported. One Chromium start renders the whole batch. When PASTDUEBOT_GALLERY=1 the screenshots
/// go to docs/gallery/ (the README links them); otherwise to a temporary folder.
/// </summary>
public static partial class CardRenderer
{
    public const string GalleryVariable = "PASTDUEBOT_GALLERY";
    public const string ChromiumVariable = "PASTDUEBOT_CHROMIUM";

    /// <summary>True when this run should refresh the committed gallery.</summary>
    public static bool GalleryRequested => Environment.GetEnvironmentVariable(GalleryVariable) == "1";

    public static string GalleryDirectory => RepoPaths.Combine("docs", "gallery");

    /// <summary>Serialises the typed cards with <see cref="CardJson"/> and renders them.</summary>
    public static Task<IReadOnlyList<CardRenderReport>> RenderAsync(
        IEnumerable<(string Name, AdaptiveCard Card)> cards, string? pngDirectory = null, CancellationToken cancellationToken = default) =>
        RenderJsonAsync(cards.Select(c => (c.Name, CardJson.Serialize(c.Card))), pngDirectory, cancellationToken);

    /// <summary>
    /// Renders raw card JSON (for cards the typed model cannot express, such as deliberately broken ones).
    /// PNGs go to <paramref name="pngDirectory"/>, else to the gallery when requested, else to a temporary folder
    /// that is deleted before this returns (pass a folder to keep them).
    /// Throws when the harness cannot run (node, Chromium or the npm packages missing).
    /// </summary>
    public static async Task<IReadOnlyList<CardRenderReport>> RenderJsonAsync(
        IEnumerable<(string Name, string Json)> cards, string? pngDirectory = null, CancellationToken cancellationToken = default)
    {
        var node = ExternalTool.Require("node");
        var script = RepoPaths.Combine("tests", "render", "render-cards.mjs");
        if (!Directory.Exists(RepoPaths.Combine("tests", "render", "node_modules")))
        {
            throw new InvalidOperationException("tests/render/node_modules is missing; run scripts/setup-test-deps.sh first.");
        }

        var work = Directory.CreateTempSubdirectory("pastduebot-cards-");
        try
        {
            var cardsDir = work.CreateSubdirectory("cards").FullName;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, json) in cards)
            {
                if (!SafeName().IsMatch(name)) throw new ArgumentException($"Card name '{name}' must match {SafeName()}.", nameof(cards));
                if (!names.Add(name)) throw new ArgumentException($"Card name '{name}' is used twice.", nameof(cards));
                await File.WriteAllTextAsync(Path.Combine(cardsDir, name + ".json"), json, new UTF8Encoding(false), cancellationToken);
            }

            var outDir = pngDirectory ?? (GalleryRequested ? GalleryDirectory : work.CreateSubdirectory("png").FullName);
            List<string> args = [script, cardsDir, outDir];
            if (Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } chromium) args.Add($"--chromium={chromium}");

            // A safety net against a hung browser, not a performance assertion.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            var result = await ExternalTool.RunAsync(node, args, RepoPaths.Root, cancellationToken: timeout.Token);
            if (result.ExitCode is not (0 or 1))
            {
                throw new InvalidOperationException($"render-cards.mjs failed (exit {result.ExitCode}): {result.StdErr.Trim()}");
            }

            var reports = result.StdOut
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonSerializer.Deserialize<CardRenderReport>(line, JsonSerializerOptions.Web)
                    ?? throw new InvalidOperationException($"Unreadable report line: {line}"))
                .ToList();
            if (reports.Count != names.Count)
            {
                throw new InvalidOperationException($"Expected {names.Count} card reports, got {reports.Count}. stderr: {result.StdErr.Trim()}");
            }
            return reports;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();
}
