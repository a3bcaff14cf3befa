namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// Everything about a channel token a test may want to get wrong. Defaults make a valid Teams token:
/// RS256, issuer api.botframework.com, aud = app id, serviceurl = the connector, valid for an hour.
/// </summary>
public sealed class TokenSpec
{
    public string? Issuer { get; set; } = "https://api.botframework.com";
    public string? Audience { get; set; }
    /// <summary>Null: no serviceurl claim.</summary>
    public string? ServiceUrl { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? Expires { get; set; }
    /// <summary>The JOSE <c>alg</c>: RS256/384/512 sign with RSA, HS256 with <see cref="HmacKey"/>, "none" leaves the signature empty.</summary>
    public string Algorithm { get; set; } = "RS256";
    /// <summary>The key that signs (RSA algorithms). Null: the channel's current key.</summary>
    public TestSigningKey? SigningKey { get; set; }
    /// <summary>The <c>kid</c> header; null uses the signing key's kid, empty string omits the header.</summary>
    public string? Kid { get; set; }
    /// <summary>HS256 secret, e.g. the RSA public key bytes (the classic algorithm-confusion attack).</summary>
    public byte[]? HmacKey { get; set; }
    public Dictionary<string, object> ExtraClaims { get; } = new();
}
