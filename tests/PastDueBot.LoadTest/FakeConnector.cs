using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace PastDueBot.LoadTest;

/// <summary>
/// The Bot Connector as Teams runs it, under the serviceUrl <c>…/teams/</c>: send and reply
/// (<c>POST v3/conversations/{id}/activities[/{activityId}]</c>), update (<c>PUT …/activities/{activityId}</c>),
/// delete, and new conversations (<c>POST v3/conversations</c>). Answers <c>{"id":…}</c> like the real one and keeps
/// each conversation's activities in an <see cref="Inbox"/>. With an expected bearer token, any other caller gets 401.
/// </summary>
public sealed class FakeConnector(Func<string, bool>? acceptsToken)
{
    private readonly ConcurrentDictionary<string, Inbox> _inboxes = new(StringComparer.Ordinal);
    private long _ids;
    private long _requests;
    private long _rejected;
    private long _unexpected;
    private long _created;

    public long Requests => Interlocked.Read(ref _requests);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Unexpected => Interlocked.Read(ref _unexpected);
    public long ConversationsCreated => Interlocked.Read(ref _created);

    public Inbox InboxOf(string conversationId) => _inboxes.GetOrAdd(conversationId, static _ => new Inbox());

    /// <summary>Forgets a conversation the driver is done with (keeps the driver's memory flat with many conversations).</summary>
    public void Forget(string conversationId) => _inboxes.TryRemove(conversationId, out _);

    public async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (acceptsToken is not null && !(context.Request.Headers.Authorization.ToString() is { } header
                && header.StartsWith("Bearer ", StringComparison.Ordinal) && acceptsToken(header["Bearer ".Length..])))
        {
            Interlocked.Increment(ref _rejected);
            await WriteAsync(context, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = "Unauthorized", ["message"] = "Authorization has been denied for this request." } });
            return;
        }

        // The raw target keeps the escaped ids (Teams ids carry ':' ';' '@').
        var raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = raw.Split('?')[0];
        var at = path.IndexOf("/v3/conversations", StringComparison.Ordinal);
        var segments = at < 0 ? [] : path[(at + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var method = context.Request.Method;
        var body = context.Request.ContentLength is > 0 or null && method is "POST" or "PUT"
            ? await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
            : null;

        switch (segments)
        {
            case ["v3", "conversations"] when method == "POST":
                Interlocked.Increment(ref _created);
                var id = $"a:loadtest-new-{Interlocked.Increment(ref _ids)}";
                await WriteAsync(context, 201, new JsonObject { ["id"] = id, ["activityId"] = NextId(), ["serviceUrl"] = $"{context.Request.Scheme}://{context.Request.Host}/teams/" });
                return;
            case ["v3", "conversations", var conversation, "activities"] when method == "POST" && body is not null:
                await AcceptAsync(context, conversation, method, NextId(), body);
                return;
            case ["v3", "conversations", var conversation, "activities", var activityId] when method == "POST" && body is not null:
                await AcceptAsync(context, conversation, method, NextId(), body);
                return;
            case ["v3", "conversations", var conversation, "activities", var activityId] when method == "PUT" && body is not null:
                await AcceptAsync(context, conversation, method, activityId, body);
                return;
            case ["v3", "conversations", _, "activities", _] when method == "DELETE":
                context.Response.StatusCode = 200;
                return;
            default:
                Interlocked.Increment(ref _unexpected);
                await WriteAsync(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = $"{method} {path}" } });
                return;
        }
    }

    private async Task AcceptAsync(HttpContext context, string conversationId, string method, string activityId, JsonObject activity)
    {
        InboxOf(conversationId).Add(new Received(method, activityId, activity, Inbox.Now));
        await WriteAsync(context, method == "POST" ? 201 : 200, new JsonObject { ["id"] = activityId });
    }

    private string NextId() => $"1:{Interlocked.Increment(ref _ids)}";

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
