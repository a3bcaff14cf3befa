using System.Text.Json.Nodes;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Alerts;

/// <summary>What the bot sent to the loopback connector, read the way the alert tests need it.</summary>
public static class ConnectorLog
{
    /// <summary>Channel threads created (<c>POST v3/conversations</c> with isGroup true), with their number (1-based) for the reply ids.</summary>
    public static IReadOnlyList<(int Number, JsonObject Body)> ThreadsCreated(LoopbackConnector connector) =>
        Creates(connector).Where(create => create.Body["isGroup"]?.GetValue<bool>() == true).ToList();

    public static IReadOnlyList<(int Number, JsonObject Body)> Creates(LoopbackConnector connector) => connector.Requests
        .Select((request, index) => (request, index))
        .Where(pair => pair.request.Method == "POST" && pair.request.RawTarget.EndsWith("/v3/conversations", StringComparison.Ordinal))
        .Select(pair => (pair.index + 1, JsonNode.Parse(pair.request.Body)!.AsObject()))
        .ToList();

    public static JsonObject CardOf(JsonObject activity) => (JsonObject)activity["attachments"]![0]!["content"]!;

    /// <summary>Polls (bounded) until <paramref name="found"/> holds.</summary>
    public static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, int seconds = 30) where T : class
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            if (probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
    }
}
