using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PastDueBot.LoadTest;

/// <summary>
/// The Bot Framework channel's signing side, as login.botframework.com publishes it: the OpenID metadata, the JWKS
/// with <c>endorsements</c> (msteams), and RS256 tokens for the bot's app id and the connector's serviceUrl.
/// The bot fetches the metadata once and validates every token for real.
/// </summary>
public sealed class ChannelKeys : IDisposable
{
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";
    public const string Issuer = "https://api.botframework.com";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _kid = "loadtest-" + Guid.NewGuid().ToString("N")[..8];

    public string AppId { get; } = Guid.NewGuid().ToString();

    /// <summary>What the keys documents were asked for, to show the bot cached them.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    private int _metadataRequests;

    public JsonObject Metadata(Uri baseAddress)
    {
        Interlocked.Increment(ref _metadataRequests);
        return new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = new Uri(baseAddress, "/v1/.well-known/authorize").ToString(),
            ["jwks_uri"] = new Uri(baseAddress, KeysPath).ToString(),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        };
    }

    public JsonObject Keys()
    {
        var p = _rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = _kid,
                ["n"] = Base64Url(p.Modulus!),
                ["e"] = Base64Url(p.Exponent!),
                ["endorsements"] = new JsonArray("msteams"),
            }),
        };
    }

    /// <summary>A channel token valid for an hour; like the real channel, one token is reused for many requests.</summary>
    public string CreateToken(string serviceUrl)
    {
        var now = DateTimeOffset.UtcNow;
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _kid };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = AppId,
            ["serviceurl"] = serviceUrl,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        var input = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _rsa.Dispose();
}
