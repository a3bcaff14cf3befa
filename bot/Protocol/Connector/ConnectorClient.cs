using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Schema;
using Polly.Timeout;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// The Bot Connector REST API of one serviceUrl over an <see cref="HttpClient"/> whose pipeline
/// (see <see cref="ConnectorClientFactory"/>) adds the bearer token, retries and timeouts.
/// Every failure becomes a <see cref="ConnectorException"/>.
/// </summary>
public sealed class ConnectorClient : IConnectorClient
{
    public const string CorrelationHeader = "X-Correlating-OperationId";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public ConnectorClient(HttpClient httpClient, string serviceUrl, ILogger<ConnectorClient> logger)
    {
        _http = httpClient;
        _logger = logger;
        ServiceUrl = ConnectorRoutes.BaseOf(serviceUrl);
    }

    public Uri ServiceUrl { get; }

    public Task<ConversationResourceResponse> CreateConversationAsync(ConversationParameters parameters, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(CreateConversationAsync), HttpMethod.Post, ConnectorRoutes.Conversations(),
            Body(parameters, ProtocolJson.Context.ConversationParameters), ProtocolJson.Context.ConversationResourceResponse, cancellationToken);

    public Task<ResourceResponse> SendToConversationAsync(string conversationId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(SendToConversationAsync), HttpMethod.Post, ConnectorRoutes.Activities(conversationId),
            Body(activity, ProtocolJson.Context.Activity), ProtocolJson.Context.ResourceResponse, cancellationToken);

    public Task<ResourceResponse> ReplyToActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(ReplyToActivityAsync), HttpMethod.Post, ConnectorRoutes.Activity(conversationId, activityId),
            Body(activity, ProtocolJson.Context.Activity), ProtocolJson.Context.ResourceResponse, cancellationToken);

    public Task<ResourceResponse> UpdateActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(UpdateActivityAsync), HttpMethod.Put, ConnectorRoutes.Activity(conversationId, activityId),
            Body(activity, ProtocolJson.Context.Activity), ProtocolJson.Context.ResourceResponse, cancellationToken);

    public async Task DeleteActivityAsync(string conversationId, string activityId, CancellationToken cancellationToken = default)
    {
        using var response = await ExchangeAsync(nameof(DeleteActivityAsync), HttpMethod.Delete, ConnectorRoutes.Activity(conversationId, activityId), null, cancellationToken);
    }

    public async Task<IReadOnlyList<ChannelAccount>> GetConversationMembersAsync(string conversationId, CancellationToken cancellationToken = default) =>
        await SendAsync(nameof(GetConversationMembersAsync), HttpMethod.Get, ConnectorRoutes.Members(conversationId), null,
            ProtocolJson.Context.ListChannelAccount, cancellationToken);

    public Task<ChannelAccount> GetConversationMemberAsync(string conversationId, string memberId, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(GetConversationMemberAsync), HttpMethod.Get, ConnectorRoutes.Member(conversationId, memberId), null,
            ProtocolJson.Context.ChannelAccount, cancellationToken);

    public Task<PagedMembersResult> GetConversationPagedMembersAsync(string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        SendAsync(nameof(GetConversationPagedMembersAsync), HttpMethod.Get, ConnectorRoutes.PagedMembers(conversationId, pageSize, continuationToken), null,
            ProtocolJson.Context.PagedMembersResult, cancellationToken);

    // Bytes, not a stream: the retry handler may send the same request again.
    private static ByteArrayContent Body<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(value);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private async Task<T> SendAsync<T>(string operation, HttpMethod method, string route, HttpContent? body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : new()
    {
        using var response = await ExchangeAsync(operation, method, route, body, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0) return new T();
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo) ?? new T();
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(response.StatusCode, "InvalidResponse", $"The connector's answer to {operation} is not valid JSON.", CorrelationIdOf(response), ex);
        }
    }

    /// <summary>One call through the pipeline; a non-success answer or a call without an answer becomes a <see cref="ConnectorException"/>.</summary>
    private async Task<HttpResponseMessage> ExchangeAsync(string operation, HttpMethod method, string route, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(ServiceUrl, route)) { Content = body };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            ConnectorLog.NoAnswer(_logger, ex, operation, ConnectorErrorCodes.ClientTimeout, ServiceUrl);
            throw new ConnectorException(HttpStatusCode.RequestTimeout, ConnectorErrorCodes.ClientTimeout, $"The connector did not answer {operation} in time.", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            ConnectorLog.NoAnswer(_logger, ex, operation, ConnectorErrorCodes.TransportFailure, ServiceUrl);
            throw new ConnectorException(HttpStatusCode.ServiceUnavailable, ConnectorErrorCodes.TransportFailure, $"The connection to the connector failed during {operation}.", inner: ex);
        }
        catch (AccessTokenException ex)
        {
            ConnectorLog.NoAnswer(_logger, ex, operation, ConnectorErrorCodes.TokenAcquisitionFailed, ServiceUrl);
            throw new ConnectorException(HttpStatusCode.Unauthorized, ConnectorErrorCodes.TokenAcquisitionFailed, ex.Message, inner: ex);
        }

        var correlationId = CorrelationIdOf(response);
        if (response.IsSuccessStatusCode)
        {
            ConnectorLog.Succeeded(_logger, operation, route, (int)response.StatusCode, correlationId, ServiceUrl);
            return response;
        }

        using (response)
        {
            var error = await ReadErrorAsync(response, cancellationToken);
            ConnectorLog.Failed(_logger, operation, (int)response.StatusCode, error.Code, error.SubCode, correlationId, ServiceUrl);
            var message = error.Message is { Length: > 0 } m ? m : $"The connector answered {operation} with {(int)response.StatusCode} {response.ReasonPhrase}.";
            throw new ConnectorException(response.StatusCode, error.Code, message, correlationId)
            {
                SubCode = error.SubCode,
                RetryAfter = ConnectorRetryPolicy.ReadRetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow),
            };
        }
    }

    /// <summary>The error body in either of the shapes Teams uses; nothing for a gateway's HTML page (the status code says enough).</summary>
    private static async Task<ConnectorErrorBody> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ConnectorErrorBody.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));

    private static string? CorrelationIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CorrelationHeader, out var values) ? values.FirstOrDefault() : null;
}
