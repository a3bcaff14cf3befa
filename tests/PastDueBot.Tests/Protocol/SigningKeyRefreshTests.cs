using System.Net;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>Channel keys are cached, refetched when a token names a new key, and not refetched for every bad kid.</summary>
public sealed class SigningKeyRefreshTests
{
    [Fact]
    public async Task Keys_are_fetched_once_and_reused()
    {
        await using var env = await BotTestEnvironment.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            using var response = await env.PostAsync(env.Message($"m{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, env.Channel.MetadataRequests);
        Assert.Equal(1, env.Channel.KeysRequests);
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_by_refetching_on_the_unknown_kid()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        using var before = await env.PostAsync(env.Message("old key"));
        Assert.Equal(1, env.Channel.KeysRequests);

        env.Channel.RotateKey("rotated-2026-11", Channels.Msteams);
        using var after = await env.PostAsync(env.Message("new key"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, env.Channel.KeysRequests);
        Assert.Equal(2, env.Bot.Turns.Count);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_refetches_at_most_once_per_interval()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        using var warm = await env.PostAsync(env.Message("warm up"));

        for (var i = 0; i < 20; i++)
        {
            using var unpublished = new TestSigningKey($"made-up-{i}", [Channels.Msteams]);
            using var response = await env.PostAsync(env.Message("x"), env.Token(t => t.SigningKey = unpublished));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.True(env.Channel.KeysRequests <= 2, $"keys fetched {env.Channel.KeysRequests} times");
        Assert.Single(env.Bot.Turns);
    }

    [Fact]
    public async Task Unreachable_metadata_is_401_not_500()
    {
        await using var env = await BotTestEnvironment.StartAsync(configure: c => c["ToBotFromChannelOpenIdMetadataUrl"] = "http://127.0.0.1:9/v1/.well-known/openidconfiguration");

        using var response = await env.PostAsync(env.Message("hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(env.Bot.Turns);
        Assert.Contains(env.Host.Logs.Records, r => r.Message.Contains("signing keys could not be loaded", StringComparison.Ordinal));
    }
}
