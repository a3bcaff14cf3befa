namespace PastDueBot.Conversation.Commands;

/// <summary>What a person asked for, whatever the language they typed it in.</summary>
public enum CommandKind
{
    None,
    Settle,
    Help,
    Cancel,
    Language,
    AlertsOn,
    AlertsOff,
    AlertsStatus,
}

/// <summary>A recognised command; <see cref="Argument"/> holds e.g. the language code of "language nl".</summary>
public sealed record RecognizedCommand(CommandKind Kind, string? Argument = null)
{
    public static RecognizedCommand None { get; } = new(CommandKind.None);
}
