using PastDueBot.Alerts.Storage;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Alerts.Teams;

/// <summary>Reads the channel an activity came from: team channels only (channelData.channel), thread suffix dropped.</summary>
internal static class ChannelContext
{
    public static AlertChannel? From(Activity activity)
    {
        var data = activity.GetTeamsChannelData();
        var channelId = data?.Channel?.Id;
        if (string.IsNullOrEmpty(channelId) && activity.Conversation?.ConversationType == "channel") channelId = StripThread(activity.Conversation.Id);
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(activity.ServiceUrl) || string.IsNullOrEmpty(activity.Recipient?.Id)) return null;
        var tenant = data?.Tenant?.Id ?? activity.Conversation?.TenantId;
        if (string.IsNullOrEmpty(tenant)) return null;
        return new AlertChannel(channelId, tenant, data?.Team?.Id, activity.ServiceUrl, activity.Recipient.Id, activity.Locale, true, null, null);
    }

    public static string TenantOf(Activity activity) =>
        activity.GetTeamsChannelData()?.Tenant?.Id ?? activity.Conversation?.TenantId ?? "";

    private static string? StripThread(string? conversationId)
    {
        if (conversationId is null) return null;
        var index = conversationId.IndexOf(';', StringComparison.Ordinal);
        return index < 0 ? conversationId : conversationId[..index];
    }
}
