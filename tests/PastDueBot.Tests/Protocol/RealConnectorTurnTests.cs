using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PastDueBot.Protocol.Connector;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>The adapter with the product's ConnectorClient (from AddBotConnector) instead of the test client.</summary>
public sealed class RealConnectorTurnTests
{
    [Fact]
    public async Task Anonymous_reply_goes_through_the_real_connector_client_without_a_token()
    {
        await using var env = await BotTestEnvironment.StartAsync(
            configure: c =>
            {
                c.Remove("MicrosoftAppId");
                c.Remove("MicrosoftAppPassword");
                c.Remove("MicrosoftAppTenantId");
            },
            configureServices: s => s.RemoveAll<IConnectorClientFactory>());
        Assert.IsNotType<LoopbackConnectorClientFactory>(env.Host.Services.GetService(typeof(IConnectorClientFactory)));

        using var response = await env.Channel.PostActivityAsync(env.Host.MessagesEndpoint, env.Message("hello", id: "99"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(env.Connector.Requests);
        Assert.Equal(ConnectorOperation.ReplyToActivity, request.Operation);
        Assert.Equal("99", request.ActivityId);
        Assert.Null(request.Authorization);
        Assert.Equal("echo: hello", request.ReadActivity().Text);
    }
}
