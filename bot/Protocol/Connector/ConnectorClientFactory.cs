using Microsoft.Extensions.Logging;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// Connector clients per serviceUrl over one named HttpClient pipeline (token, retries, timeouts), so every
/// client shares the pooled connections and the token cache.
/// </summary>
public sealed class ConnectorClientFactory(IHttpClientFactory httpClientFactory, ILogger<ConnectorClient> logger) : IConnectorClientFactory
{
    /// <summary>The named HttpClient of the connector pipeline.</summary>
    public const string HttpClientName = "PastDueBot.Connector";

    public IConnectorClient Create(string serviceUrl) => new ConnectorClient(httpClientFactory.CreateClient(HttpClientName), serviceUrl, logger);
}
