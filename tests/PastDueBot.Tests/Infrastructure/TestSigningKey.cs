using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// An RSA key of the test channel, with the channel ids it is endorsed for (as in the Bot Framework JWKS).
/// Key material is rented from a pool (2048-bit generation costs ~1 s on a busy machine) and returned on dispose,
/// so two live keys never share material.
/// </summary>
public sealed class TestSigningKey(string kid, IReadOnlyList<string>? endorsements) : IDisposable
{
    private static readonly ConcurrentBag<RSA> Pool = [];
    private int _disposed;

    public string Kid { get; } = kid;
    public RSA Rsa { get; } = Pool.TryTake(out var rsa) ? rsa : RSA.Create(2048);

    /// <summary>Null: the JWK is published without an <c>endorsements</c> member.</summary>
    public IReadOnlyList<string>? Endorsements { get; set; } = endorsements;

    /// <summary>The key as a JWK of the keys document.</summary>
    public Dictionary<string, object> ToJwk()
    {
        var p = Rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus!),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
        };
        if (Endorsements is not null) jwk["endorsements"] = Endorsements;
        return jwk;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Pool.Add(Rsa);
    }
}
