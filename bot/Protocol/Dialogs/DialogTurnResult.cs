namespace PastDueBot.Protocol.Dialogs;

/// <summary>The outcome of a dialog operation: the stack's status and, when a dialog ended, its result.</summary>
/// <remarks>The result travels in memory within one turn only; it is never persisted, so it keeps its CLR type.</remarks>
public sealed record DialogTurnResult(DialogTurnStatus Status, object? Result = null);
