using System.Net;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>
/// The channel sends one token with many requests, and the bot verifies it once. What depends on the request is
/// still checked every time, and a token stops working when it expires or its key is retired, as if never seen.
/// </summary>
public sealed class TokenReuseTests : IAsyncLifetime
{
    private BotTestEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await BotTestEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task A_reused_token_is_still_checked_against_each_activity()
    {
        var token = _env.Token();
        using var first = await _env.PostAsync(_env.Message("first"), token);

        var elsewhere = _env.Message("from another service url");
        elsewhere.ServiceUrl = "https://smba.trafficmanager.net/somewhere-else/";
        using var wrongServiceUrl = await _env.PostAsync(elsewhere, token);

        var otherChannel = _env.Message("from a channel the key is not endorsed for");
        otherChannel.ChannelId = "slack";
        using var notEndorsed = await _env.PostAsync(otherChannel, token);

        using var again = await _env.PostAsync(_env.Message("again"), token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongServiceUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notEndorsed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["first", "again"], _env.Bot.Turns.Select(t => t.Text));
        Assert.Contains(_env.Host.Logs.Records, r => r.Message.Contains("does not match the activity's serviceUrl", StringComparison.Ordinal));
        Assert.Contains(_env.Host.Logs.Records, r => r.Message.Contains("not endorsed for the activity's channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reused_token_is_refused_once_it_expires()
    {
        // exp is in whole seconds: the token's last moment, skew included, is 2 to 3 seconds from now.
        var lastMoment = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3);
        var token = _env.Token(t => { t.NotBefore = DateTimeOffset.UtcNow.AddHours(-1); t.Expires = lastMoment - TimeSpan.FromMinutes(5); });
        using var before = await _env.PostAsync(_env.Message("before"), token);

        await Task.Delay(lastMoment - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        using var after = await _env.PostAsync(_env.Message("after"), token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(["before"], _env.Bot.Turns.Select(t => t.Text));
        Assert.Contains(_env.Host.Logs.Records, r => r.Message.Contains("Expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reused_token_is_refused_once_its_key_is_retired()
    {
        var oldKey = _env.Channel.CurrentKey;
        var token = _env.Token();
        using var before = await _env.PostAsync(_env.Message("before"), token);

        _env.Channel.RotateKey("rotated-2026-11", Channels.Msteams);
        _env.Channel.RetireKey(oldKey);
        using var rotated = await _env.PostAsync(_env.Message("new key")); // its unknown kid makes the bot refetch the keys
        using var after = await _env.PostAsync(_env.Message("old token"), token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(2, _env.Channel.KeysRequests);
        Assert.Equal(["before", "new key"], _env.Bot.Turns.Select(t => t.Text));
        Assert.Contains(_env.Host.Logs.Records, r => r.Message.Contains("unknown key", StringComparison.Ordinal));
    }
}
