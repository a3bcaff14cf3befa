using PastDueBot.Protocol.Authentication;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// Puts the bot's bearer token on every connector attempt (inside the retry handler, so a retry after a long
/// Retry-After still carries a valid token). In anonymous mode the request goes out without Authorization.
/// </summary>
public sealed class ConnectorAuthorizationHandler(IAccessTokenProvider tokenProvider) : DelegatingHandler
{
    private const string AuthorizationHeader = "Authorization";

    // The header text is built once per token: an AuthenticationHeaderValue is formatted again for every request,
    // a copy of the (kilobyte-long) token per reply.
    private volatile BearerHeader? _last;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokenProvider.GetAccessTokenAsync(cancellationToken);
        request.Headers.Remove(AuthorizationHeader);
        if (token is not null) request.Headers.TryAddWithoutValidation(AuthorizationHeader, HeaderFor(token));
        return await base.SendAsync(request, cancellationToken);
    }

    private string HeaderFor(string token)
    {
        if (_last is { } last && ReferenceEquals(last.Token, token)) return last.Value;
        var header = new BearerHeader(token, "Bearer " + token);
        _last = header;
        return header.Value;
    }

    private sealed record BearerHeader(string Token, string Value);
}
