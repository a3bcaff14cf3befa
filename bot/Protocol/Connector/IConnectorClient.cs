using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// The Bot Connector REST API of one channel endpoint (serviceUrl), SDK: IConnectorClient.Conversations.
/// Every failure is a <see cref="ConnectorException"/>.
/// </summary>
public interface IConnectorClient
{
    Uri ServiceUrl { get; }

    /// <summary><c>POST v3/conversations</c>: a 1:1 chat or a new channel thread.</summary>
    Task<ConversationResourceResponse> CreateConversationAsync(ConversationParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations/{conversationId}/activities</c>.</summary>
    Task<ResourceResponse> SendToConversationAsync(string conversationId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations/{conversationId}/activities/{activityId}</c>.</summary>
    Task<ResourceResponse> ReplyToActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>PUT v3/conversations/{conversationId}/activities/{activityId}</c>.</summary>
    Task<ResourceResponse> UpdateActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE v3/conversations/{conversationId}/activities/{activityId}</c>.</summary>
    Task DeleteActivityAsync(string conversationId, string activityId, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{conversationId}/members</c>.</summary>
    Task<IReadOnlyList<ChannelAccount>> GetConversationMembersAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{conversationId}/members/{memberId}</c>.</summary>
    Task<ChannelAccount> GetConversationMemberAsync(string conversationId, string memberId, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{conversationId}/pagedmembers</c>.</summary>
    Task<PagedMembersResult> GetConversationPagedMembersAsync(string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default);
}

/// <summary>Connector clients per serviceUrl, sharing one token cache and HTTP pipeline.</summary>
public interface IConnectorClientFactory
{
    /// <summary>A client whose pipeline retries what Teams asks to retry (429 with Retry-After, 412, 502, 504), bounded.</summary>
    IConnectorClient Create(string serviceUrl);

    /// <summary>
    /// A client whose every call is exactly one HTTP attempt (token and attempt timeout, no retries): for a caller that
    /// retries durably itself and must pace and count every request it makes, such as a proactive-send queue keeping
    /// Teams' per-tenant and per-thread limits. Failures surface at once as <see cref="ConnectorException"/>.
    /// </summary>
    IConnectorClient CreateWithoutRetries(string serviceUrl) =>
        throw new NotSupportedException($"{GetType().Name} has no connector client without retries.");
}
