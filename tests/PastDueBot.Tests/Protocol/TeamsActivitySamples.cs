namespace PastDueBot.Tests.Protocol;

/// <summary>
/// Activities shaped like the ones Teams posts (teams-bot-facts §3, TD conversation-messages.md), with the
/// placeholders <c>%ID%</c> and <c>%SERVICEURL%</c>. Used as seeds for mutation fuzzing.
/// </summary>
internal static class TeamsActivitySamples
{
    public const string PersonalMessage = """
    {"text":"settle balance","textFormat":"plain","type":"message","timestamp":"2026-11-26T10:15:22.1234567Z","localTimestamp":"2026-11-26T11:15:22.1234567+01:00",
     "id":"%ID%","channelId":"msteams","serviceUrl":"%SERVICEURL%",
     "from":{"id":"29:1abcDEF-user","name":"Megan Bowen","aadObjectId":"00000000-0000-0000-0000-0000000000aa"},
     "conversation":{"conversationType":"personal","tenantId":"11111111-2222-3333-4444-555555555555","id":"a:1xYz-personal"},
     "recipient":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},
     "entities":[{"locale":"en-US","country":"US","platform":"Web","timezone":"Europe/Amsterdam","type":"clientInfo"}],
     "channelData":{"tenant":{"id":"11111111-2222-3333-4444-555555555555"}},"locale":"en-US","localTimezone":"Europe/Amsterdam"}
    """;

    public const string ChannelMessage = """
    {"text":"<at>PastDueBot</at> status","textFormat":"plain","attachments":[{"contentType":"text/html","content":"<div><at id=\"0\">PastDueBot</at> status</div>"}],
     "type":"message","timestamp":"2026-11-26T10:16:00.000Z","id":"%ID%","channelId":"msteams","serviceUrl":"%SERVICEURL%",
     "from":{"id":"29:1abcDEF-user","name":"Megan Bowen","aadObjectId":"00000000-0000-0000-0000-0000000000aa"},
     "conversation":{"isGroup":true,"conversationType":"channel","tenantId":"11111111-2222-3333-4444-555555555555","id":"19:abc123@thread.tacv2;messageid=1732615000000"},
     "recipient":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},
     "entities":[{"mentioned":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},"text":"<at>PastDueBot</at>","type":"mention"}],
     "channelData":{"teamsChannelId":"19:abc123@thread.tacv2","teamsTeamId":"19:team@thread.tacv2","channel":{"id":"19:abc123@thread.tacv2"},
       "team":{"id":"19:team@thread.tacv2","aadGroupId":"22222222-0000-0000-0000-000000000001"},"tenant":{"id":"11111111-2222-3333-4444-555555555555"}},"locale":"en-US"}
    """;

    public const string ConversationUpdate = """
    {"membersAdded":[{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60"},{"id":"29:1abcDEF-user","aadObjectId":"00000000-0000-0000-0000-0000000000aa"}],
     "type":"conversationUpdate","timestamp":"2026-11-26T09:00:00.000Z","id":"%ID%","channelId":"msteams","serviceUrl":"%SERVICEURL%",
     "from":{"id":"29:1abcDEF-user","aadObjectId":"00000000-0000-0000-0000-0000000000aa"},
     "conversation":{"conversationType":"personal","tenantId":"11111111-2222-3333-4444-555555555555","id":"a:1xYz-personal"},
     "recipient":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},
     "channelData":{"tenant":{"id":"11111111-2222-3333-4444-555555555555"}}}
    """;

    public const string CardActionInvoke = """
    {"name":"adaptiveCard/action","type":"invoke","timestamp":"2026-11-26T10:20:00.000Z","localTimestamp":"2026-11-26T11:20:00.000+01:00",
     "id":"%ID%","channelId":"msteams","serviceUrl":"%SERVICEURL%",
     "from":{"id":"29:1abcDEF-user","name":"Megan Bowen","aadObjectId":"00000000-0000-0000-0000-0000000000aa"},
     "conversation":{"conversationType":"personal","tenantId":"11111111-2222-3333-4444-555555555555","id":"a:1xYz-personal"},
     "recipient":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},
     "entities":[{"locale":"en-US","country":"US","platform":"Windows","timezone":"Europe/Amsterdam","type":"clientInfo"}],
     "channelData":{"tenant":{"id":"11111111-2222-3333-4444-555555555555"},"source":{"name":"message"},"legacy":{"replyToId":"1:1abc"}},
     "replyToId":"1732615100000",
     "value":{"action":{"type":"Action.Execute","title":"Retry payment","verb":"retryPayment","data":{"invoiceId":"inv-0042","expiryMonth":"12"}},"trigger":"manual"},
     "locale":"en-US","localTimezone":"Europe/Amsterdam"}
    """;

    public const string InstallationUpdate = """
    {"action":"add","type":"installationUpdate","timestamp":"2026-11-26T08:59:59.000Z","id":"%ID%","channelId":"msteams","serviceUrl":"%SERVICEURL%",
     "from":{"id":"29:1abcDEF-user","aadObjectId":"00000000-0000-0000-0000-0000000000aa"},
     "conversation":{"isGroup":true,"conversationType":"channel","tenantId":"11111111-2222-3333-4444-555555555555","id":"19:abc123@thread.tacv2"},
     "recipient":{"id":"28:6f1f8c52-3c3c-4f5e-9d0a-1b2c3d4e5f60","name":"PastDueBot"},
     "channelData":{"settings":{"selectedChannel":{"id":"19:abc123@thread.tacv2"}},"channel":{"id":"19:abc123@thread.tacv2"},
       "team":{"id":"19:team@thread.tacv2"},"tenant":{"id":"11111111-2222-3333-4444-555555555555"},"source":{"name":"message"}},"locale":"en-US"}
    """;

    public static readonly string[] All = [PersonalMessage, ChannelMessage, ConversationUpdate, CardActionInvoke, InstallationUpdate];
}
