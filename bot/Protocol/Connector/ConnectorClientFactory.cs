using Microsoft.Extensions.Logging;

namespace PastDueBot.Protocol.Connector;

/// <summary>
/// Connector clients per serviceUrl over two named HttpClient pipelines (pooled by IHttpClientFactory, sharing the
/// token cache): one with retries and timeouts, for replies and updates; one that makes a single attempt per call.
/// </summary>
public sealed class ConnectorClientFactory(IHttpClientFactory httpClientFactory, ILogger<ConnectorClient> logger) : IConnectorClientFactory
{
    /// <summary>The named HttpClient of the connector pipeline: token → call timeout → retries → attempt timeout.</summary>
    public const string HttpClientName = "PastDueBot.Connector";

    /// <summary>The named HttpClient of single attempts: token → attempt timeout.</summary>
    public const string SingleAttemptHttpClientName = "PastDueBot.Connector.SingleAttempt";

    public IConnectorClient Create(string serviceUrl) => new ConnectorClient(httpClientFactory.CreateClient(HttpClientName), serviceUrl, logger);

    public IConnectorClient CreateWithoutRetries(string serviceUrl) =>
        new ConnectorClient(httpClientFactory.CreateClient(SingleAttemptHttpClientName), serviceUrl, logger);
}
