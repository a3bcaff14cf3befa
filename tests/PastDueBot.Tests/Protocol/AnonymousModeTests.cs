using System.Net;
using System.Security.Claims;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Builder;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>No MicrosoftAppId: local tools may post without a token, but a token that is sent is still checked.</summary>
public sealed class AnonymousModeTests : IAsyncLifetime
{
    private BotTestEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await BotTestEnvironment.StartAsync(configure: c =>
    {
        c.Remove("MicrosoftAppId");
        c.Remove("MicrosoftAppPassword");
        c.Remove("MicrosoftAppTenantId");
    });

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task No_header_runs_the_bot_with_an_anonymous_identity()
    {
        ClaimsIdentity? identity = null;
        _env.Bot.OnMessage = (context, ct) =>
        {
            identity = context.TurnState.Get<ClaimsIdentity>(TurnContext.BotIdentityKey);
            return context.SendActivityAsync("hi from an anonymous bot", ct);
        };

        using var response = await _env.Channel.PostActivityAsync(_env.Host.MessagesEndpoint, _env.Message("hello"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ChannelTokenValidator.AnonymousAuthenticationType, identity?.AuthenticationType);
        var sent = Assert.Single(_env.Connector.Requests);
        Assert.Null(sent.Authorization);
    }

    [Theory]
    [InlineData("a correctly signed channel token")]
    [InlineData("garbage")]
    [InlineData("wrong scheme")]
    public async Task A_header_that_is_present_is_still_validated(string header)
    {
        var value = header switch
        {
            "a correctly signed channel token" => $"Bearer {_env.Token()}",
            "garbage" => "Bearer garbage",
            _ => $"Basic {_env.Token()}",
        };

        using var response = await _env.Channel.PostAsync(_env.Host.MessagesEndpoint, System.Text.Json.JsonSerializer.Serialize(_env.Message("x"), PastDueBot.Protocol.Schema.ProtocolJson.Context.Activity), value);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_env.Bot.Turns);
    }
}
