using Microsoft.Identity.Client;

namespace PastDueBot.Protocol.Authentication;

/// <summary>Gives MSAL a client from <see cref="IHttpClientFactory"/> (pooled handlers, DNS refresh, configurable in one place).</summary>
public sealed class MsalHttpClientFactory(IHttpClientFactory httpClientFactory) : IMsalHttpClientFactory
{
    /// <summary>The named HttpClient MSAL talks to the token authority with.</summary>
    public const string ClientName = "PastDueBot.Msal";

    public HttpClient GetHttpClient() => httpClientFactory.CreateClient(ClientName);
}
