using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PastDueBot.Cards.Model;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
public abstract record CardAction(string Title)
{
    public string? Id { get; init; }
    public ActionStyle? Style { get; init; }
    public string? IconUrl { get; init; }
}

/// <summary>Teams turns a click into a message activity whose <c>value</c> is the inputs merged with <see cref="Data"/>.</summary>
public sealed record SubmitAction(string Title) : CardAction(Title)
{
    public JsonObject? Data { get; init; }
    /// <summary>"auto" or "none" (none skips input collection and validation, for Cancel).</summary>
    public AssociatedInputs? AssociatedInputs { get; init; }
}

/// <summary>Universal Actions: Teams sends an <c>adaptiveCard/action</c> invoke with <see cref="Verb"/> and <see cref="Data"/>.</summary>
public sealed record ExecuteAction(string Title, string Verb) : CardAction(Title)
{
    public JsonObject? Data { get; init; }
    public AssociatedInputs? AssociatedInputs { get; init; }
}

public sealed record OpenUrlAction(string Title, string Url) : CardAction(Title);

public sealed record ShowCardAction(string Title, AdaptiveCard Card) : CardAction(Title);
