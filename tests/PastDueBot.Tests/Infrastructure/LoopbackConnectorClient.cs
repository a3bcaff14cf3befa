using System.Net.Http.Json;
using System.Text.Json;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// A plain HTTP <see cref="IConnectorClient"/> for protocol tests: no token, no retries, so adapter tests do not
/// depend on MSAL. Tests of the product should use the real ConnectorClient (AddBotConnector) against
/// <see cref="LoopbackConnector"/>, as RealConnectorTurnTests does.
/// </summary>
public sealed class LoopbackConnectorClient(HttpClient http, Uri serviceUrl) : IConnectorClient
{
    public Uri ServiceUrl { get; } = serviceUrl;

    public Task<ConversationResourceResponse> CreateConversationAsync(ConversationParameters parameters, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, "v3/conversations", JsonContent.Create(parameters, ProtocolJson.Context.ConversationParameters), r => r.Content.ReadFromJsonAsync(ProtocolJson.Context.ConversationResourceResponse, cancellationToken), cancellationToken);

    public Task<ResourceResponse> SendToConversationAsync(string conversationId, Activity activity, CancellationToken cancellationToken = default)
        => SendActivityAsync(HttpMethod.Post, $"v3/conversations/{E(conversationId)}/activities", activity, cancellationToken);

    public Task<ResourceResponse> ReplyToActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
        => SendActivityAsync(HttpMethod.Post, $"v3/conversations/{E(conversationId)}/activities/{E(activityId)}", activity, cancellationToken);

    public Task<ResourceResponse> UpdateActivityAsync(string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
        => SendActivityAsync(HttpMethod.Put, $"v3/conversations/{E(conversationId)}/activities/{E(activityId)}", activity, cancellationToken);

    public Task DeleteActivityAsync(string conversationId, string activityId, CancellationToken cancellationToken = default)
        => SendAsync<object?>(HttpMethod.Delete, $"v3/conversations/{E(conversationId)}/activities/{E(activityId)}", null, _ => Task.FromResult<object?>(null), cancellationToken);

    public async Task<IReadOnlyList<ChannelAccount>> GetConversationMembersAsync(string conversationId, CancellationToken cancellationToken = default)
        => await SendAsync(HttpMethod.Get, $"v3/conversations/{E(conversationId)}/members", null, r => r.Content.ReadFromJsonAsync(ProtocolJson.Context.ListChannelAccount, cancellationToken), cancellationToken);

    public Task<ChannelAccount> GetConversationMemberAsync(string conversationId, string memberId, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Get, $"v3/conversations/{E(conversationId)}/members/{E(memberId)}", null, r => r.Content.ReadFromJsonAsync(ProtocolJson.Context.ChannelAccount, cancellationToken), cancellationToken);

    public Task<PagedMembersResult> GetConversationPagedMembersAsync(string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Get, $"v3/conversations/{E(conversationId)}/pagedmembers", null, r => r.Content.ReadFromJsonAsync(ProtocolJson.Context.PagedMembersResult, cancellationToken), cancellationToken);

    private Task<ResourceResponse> SendActivityAsync(HttpMethod method, string path, Activity activity, CancellationToken cancellationToken)
        => SendAsync(method, path, JsonContent.Create(activity, ProtocolJson.Context.Activity), r => r.Content.ReadFromJsonAsync(ProtocolJson.Context.ResourceResponse, cancellationToken), cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, Func<HttpResponseMessage, Task<T?>> read, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(ServiceUrl, path)) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadFromJsonAsync(ProtocolJson.Context.ErrorResponse, cancellationToken);
            throw new ConnectorException(response.StatusCode, error?.Error?.Code, error?.Error?.Message ?? response.ReasonPhrase ?? "error");
        }
        return (await read(response))!;
    }

    private static string E(string value) => Uri.EscapeDataString(value);
}

public sealed class LoopbackConnectorClientFactory : IConnectorClientFactory, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public IConnectorClient Create(string serviceUrl)
    {
        var uri = new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/");
        return new LoopbackConnectorClient(_http, uri);
    }

    public void Dispose() => _http.Dispose();
}
