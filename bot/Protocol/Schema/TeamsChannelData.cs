using System.Text.Json;
using System.Text.Json.Serialization;

namespace PastDueBot.Protocol.Schema;

/// <summary>Teams' <c>channelData</c>: tenant always; team and channel only in channel conversations.</summary>
public sealed class TeamsChannelData
{
    public TeamsChannelInfo? Channel { get; set; }
    /// <summary>For conversationUpdate: teamMemberAdded, teamMemberRemoved, channelCreated, teamRenamed, …</summary>
    public string? EventType { get; set; }
    public TeamInfo? Team { get; set; }
    public NotificationInfo? Notification { get; set; }
    public TenantInfo? Tenant { get; set; }
    public JsonElement? Meeting { get; set; }
    public JsonElement? Settings { get; set; }
    public JsonElement? OnBehalfOf { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class TenantInfo
{
    public string? Id { get; set; }
}

public sealed class TeamInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadGroupId { get; set; }
}

public sealed class TeamsChannelInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
}

public sealed class NotificationInfo
{
    public bool? Alert { get; set; }
    public bool? AlertInMeeting { get; set; }
    public string? ExternalResourceUrl { get; set; }
}
