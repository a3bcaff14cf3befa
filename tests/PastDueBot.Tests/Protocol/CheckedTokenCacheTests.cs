using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PastDueBot.Protocol.Authentication;

namespace PastDueBot.Tests.Protocol;

public sealed class CheckedTokenCacheTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly ChannelSigningConfiguration _keys = Keys();

    [Fact]
    public void A_token_is_found_inside_its_header_while_it_lives_and_dropped_after()
    {
        var cache = new CheckedTokenCache(_clock);
        cache.Add("token-a", Checked(_keys, validTo: Now.AddMinutes(10)));

        Assert.True(cache.TryGet("Bearer token-a".AsSpan(7), out var found));
        Assert.Equal("https://smba.trafficmanager.net/emea/", found.ServiceUrl);
        Assert.False(cache.TryGet("token-b", out _));
        Assert.False(cache.TryGet("token-", out _));

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(cache.TryGet("token-a", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_token_is_not_found_before_its_lifetime()
    {
        var cache = new CheckedTokenCache(_clock);
        cache.Add("early", Checked(_keys, validFrom: Now.AddMinutes(1), validTo: Now.AddHours(1)));

        Assert.False(cache.TryGet("early", out _));
    }

    [Fact]
    public void When_full_it_drops_what_is_expired_or_checked_against_older_keys_first()
    {
        var cache = new CheckedTokenCache(_clock);
        var olderKeys = Keys();
        cache.Add("expiring", Checked(_keys, validTo: Now.AddMinutes(1)));
        cache.Add("old keys", Checked(olderKeys, validTo: Now.AddHours(1)));
        for (var i = 0; i < CheckedTokenCache.Capacity - 3; i++) cache.Add($"live-{i}", Checked(_keys, validTo: Now.AddHours(1)));
        cache.Add("last that fits", Checked(_keys, validTo: Now.AddHours(1)));
        Assert.Equal(CheckedTokenCache.Capacity, cache.Count);

        _clock.Advance(TimeSpan.FromMinutes(2));
        cache.Add("one more", Checked(_keys, validTo: Now.AddHours(1)));

        Assert.Equal(CheckedTokenCache.Capacity - 1, cache.Count);
        Assert.True(cache.TryGet("live-0", out _));
        Assert.True(cache.TryGet("one more", out _));
        Assert.False(cache.TryGet("old keys", out _));
    }

    [Fact]
    public void When_full_of_live_tokens_it_starts_over_rather_than_grow()
    {
        var cache = new CheckedTokenCache(_clock);
        for (var i = 0; i < CheckedTokenCache.Capacity * 3; i++)
        {
            cache.Add($"live-{i}", Checked(_keys, validTo: Now.AddHours(1)));
            Assert.InRange(cache.Count, 1, CheckedTokenCache.Capacity);
        }

        Assert.True(cache.TryGet($"live-{CheckedTokenCache.Capacity * 3 - 1}", out _));
    }

    private static CheckedToken Checked(ChannelSigningConfiguration keys, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null)
        => new(new ClaimsIdentity("test"), "kid-1", "https://smba.trafficmanager.net/emea/", keys, validFrom ?? Now.AddMinutes(-5), validTo ?? Now.AddHours(1));

    private static ChannelSigningConfiguration Keys() => new(new OpenIdConnectConfiguration(), new Dictionary<string, IReadOnlySet<string>>());
}
