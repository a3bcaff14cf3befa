using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// The channel's OpenID metadata with its signing keys, plus each key's endorsements (the channel ids it may
/// sign for), all from one fetch of the metadata and JWKS documents.
/// </summary>
public sealed record ChannelSigningConfiguration(
    OpenIdConnectConfiguration OpenIdConfiguration,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements);
