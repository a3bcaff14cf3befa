namespace PastDueBot.Conversation.Bot;

/// <summary>A person's own language choice ("en-US" / "nl-NL"), kept in user state; null follows the channel's locale.</summary>
public sealed record LanguagePreference(string? Culture);
