using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PastDueBot.LoadTest;

/// <summary>How one POST to the bot went: status, and when the response had been read completely.</summary>
public readonly record struct PostResult(int Status, long StartedAt, long CompletedAt, string? Error);

/// <summary>
/// Posts Teams-shaped activities to the bot as the channel does: <c>channelId</c> msteams, a personal conversation
/// with the tenant, the user's <c>aadObjectId</c>, <c>Authorization: Bearer</c> with a channel token when on.
/// </summary>
public sealed class TeamsChannel(HttpClient http, Uri botEndpoint, string serviceUrl, string botId, string? token)
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly AuthenticationHeaderValue? _authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public string ServiceUrl => serviceUrl;

    /// <summary>A typed message from <paramref name="user"/>.</summary>
    public JsonObject Message(TeamsUser user, string text)
    {
        var activity = Base(user);
        activity["text"] = text;
        activity["textFormat"] = "plain";
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        return activity;
    }

    /// <summary>What Teams sends for an Action.Submit click: a message with the data and inputs as value, no text, replyToId = the card's activity.</summary>
    public JsonObject Submit(TeamsUser user, string cardActivityId, JsonObject value)
    {
        var activity = Base(user);
        activity["text"] = "";
        activity["value"] = value;
        activity["replyToId"] = cardActivityId;
        activity["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["source"] = new JsonObject { ["name"] = "message" },
            ["legacy"] = new JsonObject { ["replyToId"] = cardActivityId },
        };
        return activity;
    }

    /// <summary>Posts and reads the whole response; a response that takes longer than <paramref name="timeout"/> is a failed turn (status 0).</summary>
    public async Task<PostResult> PostAsync(JsonObject activity, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(activity);
        using var request = new HttpRequestMessage(HttpMethod.Post, botEndpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = _authorization;
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            var completed = Stopwatch.GetTimestamp();
            return new PostResult((int)response.StatusCode, started, completed, null);
        }
        catch (HttpRequestException ex)
        {
            return new PostResult(0, started, Stopwatch.GetTimestamp(), ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PostResult(0, started, Stopwatch.GetTimestamp(), $"no response within {timeout.TotalSeconds:0} s");
        }
    }

    private JsonObject Base(TeamsUser user) => new()
    {
        ["type"] = "message",
        ["id"] = $"1:{Guid.NewGuid():N}",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["localTimestamp"] = DateTimeOffset.Now.ToString("O"),
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = user.UserId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId },
        ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = user.ConversationId },
        ["recipient"] = new JsonObject { ["id"] = botId, ["name"] = "PastDueBot" },
        ["locale"] = "en-US",
        ["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Web", ["timezone"] = "Europe/Amsterdam" }),
    };
}

/// <summary>One simulated admin in a 1:1 chat: a distinct Entra object id, so the demo ledger seeds them their own account.</summary>
public sealed record TeamsUser(string AadObjectId, string UserId, string ConversationId, string Name)
{
    public static TeamsUser Create(string run, int number)
    {
        var aad = Guid.NewGuid().ToString();
        return new TeamsUser(aad, $"29:1{run}-{number}-{Guid.NewGuid():N}", $"a:1{run}{number}-{Guid.NewGuid():N}", $"Admin {number}");
    }
}
