using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>The channel's keys are fetched while the host starts, so the first activity does not wait for them.</summary>
public sealed class AuthenticationWarmUpTests
{
    private static Task WarmUpOf(BotTestEnvironment env) =>
        env.Host.Services.GetServices<IHostedService>().OfType<AuthenticationWarmUp>().Single().ExecuteTask!;

    [Fact]
    public async Task The_signing_keys_are_fetched_at_start_up_and_the_first_activity_uses_them()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        await WarmUpOf(env);

        Assert.Equal(1, env.Channel.MetadataRequests);
        Assert.Equal(1, env.Channel.KeysRequests);

        using var response = await env.PostAsync(env.Message("first"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, env.Channel.KeysRequests);
        Assert.Single(env.Bot.Turns);
    }

    [Fact]
    public async Task Anonymous_mode_fetches_nothing()
    {
        await using var env = await BotTestEnvironment.StartAsync(configure: c =>
        {
            c["MicrosoftAppId"] = "";
            c["MicrosoftAppPassword"] = "";
        });
        await WarmUpOf(env);

        Assert.Equal(0, env.Channel.MetadataRequests);
        Assert.Equal(0, env.Channel.KeysRequests);
    }

    [Fact]
    public async Task Unreachable_metadata_at_start_up_is_a_warning_and_the_bot_keeps_running()
    {
        await using var env = await BotTestEnvironment.StartAsync(configure: c => c["ToBotFromChannelOpenIdMetadataUrl"] = "http://127.0.0.1:9/v1/.well-known/openidconfiguration");
        await WarmUpOf(env);

        var warning = Assert.Single(env.Host.Logs.Records, r => r.EventId.Id == 4010);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("the channel's signing keys", warning.Message, StringComparison.Ordinal);
        // Still answering: an activity gets the same 401 as without the warm-up, not a dead endpoint.
        using var response = await env.PostAsync(env.Message("hi"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Stopping_during_start_up_does_not_wait_for_a_metadata_endpoint_that_never_answers()
    {
        // Accepts the warm-up's connection and never answers it (the metadata client's own timeout is 10 s).
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var env = await BotTestEnvironment.StartAsync(configure: c => c["ToBotFromChannelOpenIdMetadataUrl"] = $"http://127.0.0.1:{port}/v1/.well-known/openidconfiguration");
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var held = await silent.AcceptTcpClientAsync(safety.Token);
        var warmUp = WarmUpOf(env);

        await env.DisposeAsync();

        Assert.Equal(TaskStatus.RanToCompletion, warmUp.Status);
        // Had the stop waited for the fetch, the fetch would have timed out and been logged as a failed warm-up.
        Assert.DoesNotContain(env.Host.Logs.Records, r => r.EventId.Id == 4010);
        Assert.True(held.Connected);
    }
}
