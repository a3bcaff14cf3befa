using System.Text.Json;

namespace PastDueBot.Protocol.Schema;

/// <summary>Body of <c>POST v3/conversations</c>.</summary>
public sealed class ConversationParameters
{
    public bool? IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public List<ChannelAccount>? Members { get; set; }
    public string? TopicName { get; set; }
    public Activity? Activity { get; set; }
    public JsonElement? ChannelData { get; set; }
    public string? TenantId { get; set; }
}

/// <summary>Answer of <c>POST v3/conversations</c>.</summary>
public sealed class ConversationResourceResponse
{
    public string? ActivityId { get; set; }
    public string? ServiceUrl { get; set; }
    public string? Id { get; set; }
}

/// <summary>Answer of the send, reply and update routes.</summary>
public sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>The connector's error body: <c>{"error":{"code","message"}}</c>.</summary>
public sealed class ErrorResponse
{
    public Error? Error { get; set; }
}

public sealed class Error
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public JsonElement? InnerHttpError { get; set; }
}

/// <summary>One page of <c>GET v3/conversations/{id}/pagedmembers</c>.</summary>
public sealed class PagedMembersResult
{
    public string? ContinuationToken { get; set; }
    public List<ChannelAccount>? Members { get; set; }
}
