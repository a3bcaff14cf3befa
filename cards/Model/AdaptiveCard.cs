using System.Text.Json.Serialization;

namespace PastDueBot.Cards.Model;

/// <summary>The root of a card. Teams renders bot cards up to version 1.5.</summary>
public sealed record AdaptiveCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string TeamsMaxVersion = "1.5";

    [JsonPropertyOrder(-10)] public string Type => "AdaptiveCard";
    [JsonPropertyName("$schema"), JsonPropertyOrder(-9)] public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";
    [JsonPropertyOrder(-8)] public string Version { get; init; } = TeamsMaxVersion;
    public IReadOnlyList<CardElement> Body { get; init; } = [];
    public IReadOnlyList<CardAction>? Actions { get; init; }
    /// <summary>Universal Actions refresh: re-fetch the card for the listed users (user-specific views).</summary>
    public CardRefresh? Refresh { get; init; }
    public string? FallbackText { get; init; }
    public string? Speak { get; init; }
    /// <summary>Teams extras, e.g. <c>{"width":"Full"}</c>.</summary>
    [JsonPropertyName("msteams")] public TeamsCardProperties? Teams { get; init; }
}

/// <summary>
/// <see cref="UserIds"/>: up to 60 user MRIs that refresh automatically; empty shows a manual refresh;
/// null refreshes automatically for everyone in conversations of up to 60 members.
/// </summary>
public sealed record CardRefresh(
    [property: JsonConverter(typeof(ExecuteActionConverter))] ExecuteAction Action,
    IReadOnlyList<string>? UserIds);

public sealed record TeamsCardProperties(string? Width = null);
