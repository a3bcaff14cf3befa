using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Directory;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Connector;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Host;

/// <summary>The composition root as the process runs it: every layer wired, health that tells the truth, logs that can be followed.</summary>
public sealed class CompositionRootTests : IAsyncLifetime
{
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartProductAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Every_layer_the_turn_needs_is_registered_by_AddPastDueBot()
    {
        Assert.IsType<ConnectorClientFactory>(_host.Services.GetRequiredService<IConnectorClientFactory>());
        Assert.Equal("DemoBillingLedger", _host.Services.GetRequiredService<IBillingProvider>().GetType().Name);
        Assert.Equal("DemoDirectory", _host.Services.GetRequiredService<IDirectory>().GetType().Name);
        Assert.Equal("AutoSaveStateBot", _host.Services.GetRequiredService<IBot>().GetType().Name);
    }

    [Fact]
    public async Task Healthz_answers_200_while_the_database_answers_and_503_with_the_reason_when_it_does_not()
    {
        using (var healthy = await _host.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            var body = JsonNode.Parse(await healthy.Content.ReadAsStringAsync())!;
            Assert.Equal("ok", (string?)body["status"]);
            Assert.Equal("ok", (string?)body["checks"]!["database"]!["status"]);
        }

        // Someone removes the state table under the running bot.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory!, "pastduebot.db")};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE documents";
            drop.ExecuteNonQuery();
        }

        using var unhealthy = await _host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        var failed = JsonNode.Parse(await unhealthy.Content.ReadAsStringAsync())!;
        Assert.Equal("unhealthy", (string?)failed["status"]);
        Assert.Contains("no such table: documents", (string?)failed["checks"]!["database"]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_of_a_turn_carry_the_activity_id_the_conversation_id_and_the_connector_correlating_id()
    {
        var chat = _host.Chat("logs-1");
        await chat.SayAsync("settle");

        var connectorLog = Assert.Single(_host.Logs.Records, r => r.EventId.Id == 4100 && r.Scopes.Any(s => s.StartsWith("ConversationId=" + chat.ConversationId, StringComparison.Ordinal)));
        Assert.StartsWith("op-", connectorLog.Fields["CorrelatingOperationId"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains(connectorLog.Scopes, s => s.StartsWith("ActivityId=", StringComparison.Ordinal) && s.Length > "ActivityId=".Length);
    }
}
