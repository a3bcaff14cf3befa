using System.Text.Json.Serialization;

namespace PastDueBot.Tests.Cards;

/// <summary>One problem the renderer (or the harness) found in a card.</summary>
public sealed record CardFinding(string Event, string? Phase, string Message, string? Source)
{
    public override string ToString() => $"{Event}{(Source is null ? "" : $" at {Source}")}: {Message}";
}

/// <summary>What tests/render/render-cards.mjs reports for one card.</summary>
public sealed record CardRenderReport(
    string Name,
    string File,
    string? Png,
    string? Version,
    IReadOnlyList<CardFinding> Errors,
    IReadOnlyList<CardFinding> Warnings)
{
    [JsonIgnore] public bool IsClean => Errors.Count == 0 && Warnings.Count == 0;

    [JsonIgnore] public IEnumerable<CardFinding> Findings => Errors.Concat(Warnings);

    public override string ToString() =>
        IsClean ? $"{Name}: clean" : $"{Name}:{string.Concat(Findings.Select(f => $"\n  - {f}"))}";
}
