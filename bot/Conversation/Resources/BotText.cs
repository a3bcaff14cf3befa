namespace PastDueBot.Conversation.Resources;

/// <summary>
/// Marker for <c>IStringLocalizer&lt;BotText&gt;</c>: the strings live in BotText.resx (English, the neutral
/// culture) and BotText.nl-NL.resx. Keys are in <see cref="TextKeys"/>.
/// </summary>
public sealed class BotText;
