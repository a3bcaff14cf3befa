using System.Collections.Concurrent;
using System.Security.Claims;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Channel tokens that passed every check that depends only on the token (signature, issuer, lifetime, audience,
/// the serviceurl claim), so a token the channel sends again is not verified again. The channel reuses one token for
/// an hour of requests, and the RSA check is most of what authenticating a request costs.
/// <para>
/// An entry is used only while the token is within its lifetime (with the validator's clock skew) and only with the
/// signing keys it was checked against: once the keys are refetched, every token is checked afresh. Only tokens that
/// passed are kept, at most <see cref="Capacity"/>, so nobody can fill it without a valid token. The checks that
/// depend on the request (endorsement for its channel, its serviceUrl) stay with the caller, every time.
/// </para>
/// </summary>
public sealed class CheckedTokenCache
{
    /// <summary>Teams uses a handful of tokens an hour; a few hundred covers many channels and regions.</summary>
    public const int Capacity = 256;

    private readonly TimeProvider _timeProvider;

    private readonly ConcurrentDictionary<string, CheckedToken> _tokens;
    private readonly ConcurrentDictionary<string, CheckedToken>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public CheckedTokenCache(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _tokens = new(StringComparer.Ordinal);
        _bySpan = _tokens.GetAlternateLookup<ReadOnlySpan<char>>(); // looks up the token inside its header, uncopied
    }

    public int Count => _tokens.Count;

    /// <summary>The token's earlier result, if it is still within its lifetime; an expired entry is dropped.</summary>
    public bool TryGet(ReadOnlySpan<char> token, out CheckedToken checkedToken)
    {
        if (_bySpan.TryGetValue(token, out checkedToken!))
        {
            var now = _timeProvider.GetUtcNow();
            if (now >= checkedToken.ValidFrom && now < checkedToken.ValidTo) return true;
            _bySpan.TryRemove(token, out _);
        }

        checkedToken = null!;
        return false;
    }

    public void Add(string token, CheckedToken checkedToken)
    {
        if (_tokens.Count >= Capacity) Trim(checkedToken.Signing);
        _tokens[token] = checkedToken;
    }

    /// <summary>Drops what can no longer be used (expired, or checked against older keys); if that is not enough, everything.</summary>
    private void Trim(ChannelSigningConfiguration current)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var entry in _tokens)
        {
            if (now >= entry.Value.ValidTo || !ReferenceEquals(entry.Value.Signing, current)) _tokens.TryRemove(entry);
        }

        if (_tokens.Count >= Capacity) _tokens.Clear();
    }
}

/// <summary>
/// What a full check of a channel token found. <see cref="Identity"/> is shared by every request that presents the
/// token: treat it as read-only.
/// </summary>
/// <param name="ValidFrom">nbf minus the clock skew.</param>
/// <param name="ValidTo">exp plus the clock skew.</param>
public sealed record CheckedToken(
    ClaimsIdentity Identity,
    string KeyId,
    string ServiceUrl,
    ChannelSigningConfiguration Signing,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo);
