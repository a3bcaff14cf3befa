using System.Net.Http.Headers;
using PastDueBot.Protocol.Authentication;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// Puts the bot's bearer token on every connector attempt (inside the retry handler, so a retry after a long
/// Retry-After still carries a valid token). In anonymous mode the request goes out without Authorization.
/// </summary>
public sealed class ConnectorAuthorizationHandler(IAccessTokenProvider tokenProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokenProvider.GetAccessTokenAsync(cancellationToken);
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
