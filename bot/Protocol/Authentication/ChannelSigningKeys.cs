using Microsoft.IdentityModel.Protocols;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// The cached channel metadata (IdentityModel's ConfigurationManager). Refreshed automatically every
/// <see cref="AutomaticRefreshInterval"/> and on demand when a token names an unknown key, at most once per
/// <see cref="MinimumRefreshInterval"/>, so a flood of made-up kids cannot make the bot hammer the channel.
/// </summary>
public sealed class ChannelSigningKeys
{
    /// <summary>The JS SDK refreshes daily; the .NET SDK relies on IdentityModel's default. A day keeps rotation quick.</summary>
    public static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(24);

    /// <summary>IdentityModel's own default for RequestRefresh.</summary>
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>Named HttpClient used for the metadata and JWKS documents.</summary>
    public const string HttpClientName = "PastDueBot.ChannelMetadata";

    private readonly ConfigurationManager<ChannelSigningConfiguration> _manager;

    static ChannelSigningKeys()
    {
        // By default IdentityModel 8 refreshes in the background, so the request that saw an unknown kid would
        // still be checked against the old keys. Blocking mode fetches before answering (bounded by the interval above).
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
    }

    public ChannelSigningKeys(string metadataUrl, HttpClient httpClient)
    {
        var requireHttps = !(Uri.TryCreate(metadataUrl, UriKind.Absolute, out var uri) && uri.IsLoopback);
        _manager = new ConfigurationManager<ChannelSigningConfiguration>(
            metadataUrl,
            new ChannelSigningConfigurationRetriever(),
            new HttpDocumentRetriever(httpClient) { RequireHttps = requireHttps })
        {
            AutomaticRefreshInterval = AutomaticRefreshInterval,
            RefreshInterval = MinimumRefreshInterval,
        };
    }

    /// <summary>The current metadata, fetched on first use.</summary>
    public Task<ChannelSigningConfiguration> GetAsync(CancellationToken cancellationToken) => _manager.GetConfigurationAsync(cancellationToken);

    /// <summary>Asks for a fresh copy on the next <see cref="GetAsync"/> (ignored within the minimum interval).</summary>
    public void RequestRefresh() => _manager.RequestRefresh();
}
