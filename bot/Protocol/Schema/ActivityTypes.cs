namespace PastDueBot.Protocol.Schema;

/// <summary>Activity type names as the Bot Framework schema spells them.</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string MessageReaction = "messageReaction";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string Typing = "typing";
    public const string EndOfConversation = "endOfConversation";
    public const string Event = "event";
    public const string Invoke = "invoke";
    public const string InvokeResponse = "invokeResponse";
}

/// <summary>Input hints (SDK: InputHints).</summary>
public static class InputHints
{
    public const string AcceptingInput = "acceptingInput";
    public const string ExpectingInput = "expectingInput";
    public const string IgnoringInput = "ignoringInput";
}

/// <summary>Teams conversation types found in <c>conversation.conversationType</c>.</summary>
public static class ConversationTypes
{
    public const string Personal = "personal";
    public const string Channel = "channel";
    public const string GroupChat = "groupChat";
}

/// <summary>Well-known channel ids.</summary>
public static class Channels
{
    public const string Msteams = "msteams";
    public const string Emulator = "emulator";
    public const string Test = "test";
}
