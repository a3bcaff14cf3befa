using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Reads the metadata document, then its <c>jwks_uri</c>. The keys are parsed by IdentityModel; the
/// Bot Framework's <c>endorsements</c> arrays are not part of JWK, so they are read from the raw JWKS text here.
/// </summary>
public sealed class ChannelSigningConfigurationRetriever : IConfigurationRetriever<ChannelSigningConfiguration>
{
    public async Task<ChannelSigningConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadataJson = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var config = OpenIdConnectConfiguration.Create(metadataJson);
        if (string.IsNullOrWhiteSpace(config.JwksUri))
            throw new InvalidOperationException("The channel's OpenID metadata has no jwks_uri.");

        var keysJson = await retriever.GetDocumentAsync(config.JwksUri, cancel).ConfigureAwait(false);
        config.JsonWebKeySet = new JsonWebKeySet(keysJson);
        foreach (var key in config.JsonWebKeySet.GetSigningKeys())
        {
            config.SigningKeys.Add(key);
        }

        return new ChannelSigningConfiguration(config, ReadEndorsements(keysJson));
    }

    /// <summary><c>{"keys":[{"kid":"…","endorsements":["msteams",…]},…]}</c> → kid → endorsements.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlySet<string>> ReadEndorsements(string keysJson)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(keysJson);
        if (!doc.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array) return result;

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || !key.TryGetProperty("endorsements", out var endorsements) || endorsements.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in endorsements.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } value) set.Add(value);
            }
            result[kid.GetString()!] = set;
        }
        return result;
    }
}
