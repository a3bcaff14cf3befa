using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>
/// 10,000 malformed, truncated, oversized and type-confused payloads (mutations of Teams-shaped activities and
/// random JSON), posted over HTTP with a valid token: no 5xx, no unhandled exception, and the bot still answers.
/// </summary>
public sealed class MalformedPayloadFuzzTests
{
    private const int Iterations = 10_000;

    private static readonly HashSet<HttpStatusCode> Allowed =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType, HttpStatusCode.NotImplemented,
    ];

    [Fact]
    public async Task Malformed_payloads_never_produce_5xx_and_the_host_keeps_answering()
    {
        await using var env = await BotTestEnvironment.StartAsync();
        env.Bot.OnMessage = (_, _) => Task.CompletedTask; // the fuzz is about the endpoint, not the connector
        var bearer = $"Bearer {env.Token()}";
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var sent = 0;

        await FuzzCases(env.ServiceUrl).SampleAsync(async fuzz =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, env.Host.MessagesEndpoint) { Content = new ByteArrayContent(fuzz.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(fuzz.ContentType);
            if (fuzz.Authorization == FuzzAuth.Valid) request.Headers.TryAddWithoutValidation("Authorization", bearer);
            else if (fuzz.Authorization == FuzzAuth.Garbage) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Convert.ToBase64String(fuzz.Body.Take(40).ToArray()));
            using var response = await http.SendAsync(request);
            Interlocked.Increment(ref sent);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if (!Allowed.Contains(response.StatusCode))
                throw new InvalidOperationException($"{(int)response.StatusCode} for {fuzz.Kind}");
        }, iter: Iterations, threads: 4, print: f => f.Describe());

        Assert.True(sent >= Iterations, $"only {sent} payloads were posted");
        Assert.DoesNotContain(env.Host.Logs.Records, r => r.Level >= LogLevel.Error);
        // Spread: the payloads reached every layer (parser, validator, bot), not just the first check.
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 500, Summary(statuses));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 500, Summary(statuses));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Unauthorized) > 100, Summary(statuses));

        env.Bot.OnMessage = null;
        using var good = await env.PostAsync(env.Message("still alive?", id: "after-fuzz"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains(env.Connector.Requests, r => r.ActivityId == "after-fuzz" && r.ReadActivity().Text == "echo: still alive?");
    }

    private static string Summary(ConcurrentDictionary<HttpStatusCode, int> statuses)
        => string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}"));

    public enum FuzzAuth { Valid, None, Garbage }

    public sealed record FuzzCase(string Kind, byte[] Body, string ContentType, FuzzAuth Authorization)
    {
        public string Describe() => $"{Kind} [{Authorization}, {ContentType}, {Body.Length} bytes] {Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300)))}";
    }

    /// <summary>A seed activity, a mutation kind and the randomness it uses; CsCheck shrinks toward small seeds.</summary>
    private static Gen<FuzzCase> FuzzCases(string serviceUrl)
    {
        var auth = Gen.Frequency((18, Gen.Const(FuzzAuth.Valid)), (1, Gen.Const(FuzzAuth.None)), (1, Gen.Const(FuzzAuth.Garbage)));
        var contentType = Gen.Frequency((30, Gen.Const("application/json")), (2, Gen.Const("application/json; charset=utf-8")), (1, Gen.Const("text/plain")), (1, Gen.Const("application/vnd.teams+json")));
        return Gen.Select(Gen.Int[0, TeamsActivitySamples.All.Length - 1], Gen.Int[0, 9], Gen.Int, Gen.String, auth, contentType)
            .Select((template, kind, seed, junk, authorization, type) =>
            {
                var random = new Random(seed);
                var source = TeamsActivitySamples.All[template]
                    .Replace("%ID%", Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
                    .Replace("%SERVICEURL%", serviceUrl, StringComparison.Ordinal);
                var (name, body) = Mutate(kind, source, junk, random);
                return new FuzzCase(name, body, type, authorization);
            });
    }

    private static (string Kind, byte[] Body) Mutate(int kind, string source, string junk, Random random)
    {
        var utf8 = Encoding.UTF8.GetBytes(source);
        switch (kind)
        {
            case 0: // truncated anywhere
                return ("truncated", utf8[..random.Next(utf8.Length)]);
            case 1: // junk text spliced in
            {
                var at = random.Next(source.Length);
                return ("spliced", Encoding.UTF8.GetBytes(source[..at] + junk + source[at..]));
            }
            case 2: // random bytes flipped, including invalid UTF-8
            {
                var copy = (byte[])utf8.Clone();
                for (var i = 0; i < 1 + random.Next(8); i++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return ("byte-flipped", copy);
            }
            case 3: case 4: case 5: // a field replaced by a value of another type
                return ("type-confused", Encoding.UTF8.GetBytes(ReplaceRandomNode(source, random, junk)));
            case 6: // fields removed
                return ("field-removed", Encoding.UTF8.GetBytes(RemoveRandomNodes(source, random)));
            case 7: // a valid activity, sometimes with an oversized field
                return random.Next(20) == 0
                    ? ("oversized", Encoding.UTF8.GetBytes(source.Replace("\"type\":", $"\"padding\":\"{new string('p', ActivityRequestReader.MaxBodyBytes)}\",\"type\":", StringComparison.Ordinal)))
                    : ("valid", utf8);
            case 8: // random JSON that is not an activity
                return ("random-json", Encoding.UTF8.GetBytes(RandomJson(random, 0, junk)?.ToJsonString() ?? "null"));
            default: // deep nesting inside a valid activity
            {
                var depth = random.Next(10, 200);
                var nested = string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth));
                return ("deeply-nested", Encoding.UTF8.GetBytes(source.Replace("\"type\":", $"\"value\":{nested},\"type\":", StringComparison.Ordinal)));
            }
        }
    }

    private static string ReplaceRandomNode(string source, Random random, string junk)
    {
        var root = JsonNode.Parse(source)!;
        var nodes = Flatten(root).Where(n => n.Parent is not null).ToList();
        var target = nodes[random.Next(nodes.Count)];
        var replacement = RandomJson(random, 0, junk);
        switch (target.Parent)
        {
            case JsonObject parent: parent[target.GetPropertyName()] = replacement; break;
            case JsonArray array: array[target.GetElementIndex()] = replacement; break;
        }
        return root.ToJsonString();
    }

    private static string RemoveRandomNodes(string source, Random random)
    {
        var root = JsonNode.Parse(source)!;
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            var properties = Flatten(root).Where(n => n.Parent is JsonObject).ToList();
            if (properties.Count == 0) break;
            var target = properties[random.Next(properties.Count)];
            ((JsonObject)target.Parent!).Remove(target.GetPropertyName());
        }
        return root.ToJsonString();
    }

    private static IEnumerable<JsonNode> Flatten(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
            foreach (var descendant in Flatten(child))
                yield return descendant;
    }

    private static JsonNode? RandomJson(Random random, int depth, string junk) => random.Next(depth > 3 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(4) switch { 0 => long.MaxValue, 1 => -1, 2 => 0, _ => random.Next() }),
        3 => JsonValue.Create(random.NextDouble() * 1e308),
        4 => JsonValue.Create(junk),
        5 => JsonValue.Create(random.Next(3) switch { 0 => "", 1 => "2026-13-45T99:99:99Z", _ => new string('s', random.Next(1, 5000)) }),
        6 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1, junk)).ToArray()),
        _ => new JsonObject(Enumerable.Range(0, random.Next(4)).Select(i => KeyValuePair.Create(
            random.Next(3) == 0 ? junk + i : new[] { "type", "id", "conversation", "serviceUrl", "from", "value", "channelData", "text" }[random.Next(8)] + i,
            RandomJson(random, depth + 1, junk)))),
    };
}
