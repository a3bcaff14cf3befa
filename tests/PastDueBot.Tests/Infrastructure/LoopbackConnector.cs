using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// Plays the Bot Connector service (Teams' serviceUrl) on 127.0.0.1: the v3 conversation routes of
/// teams-bot-facts §3 under a <c>/teams/</c> base path (as smba.trafficmanager.net/teams/), recording every request
/// with its raw (still escaped) target, headers and body. Answers as the service does (<c>{"id":"activity-{n}"}</c>
/// for sends, member lists, a new conversation), or with replies queued by <see cref="Reply"/>, in order.
/// Every answer carries <c>X-Correlating-OperationId</c> (<c>op-{n}</c>), as the real service's do.
/// </summary>
public sealed partial class LoopbackConnector : IAsyncDisposable
{
    public const string BasePath = "/teams";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorReply> _replies = new();
    private readonly ConcurrentQueue<ConnectorRequest> _requests = new();
    private int _count;

    private LoopbackConnector(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The serviceUrl activities should carry, with the trailing slash Teams uses.</summary>
    public string ServiceUrl => new Uri(BaseAddress, BasePath + "/").ToString();

    /// <summary>Members returned by the member routes.</summary>
    public List<ChannelAccount> Members { get; } = [new() { Id = "29:1-user", Name = "Megan Bowen", AadObjectId = "00000000-0000-0000-0000-0000000000aa" }];

    public IReadOnlyList<ConnectorRequest> Requests => [.. _requests];

    public static async Task<LoopbackConnector> StartAsync()
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var connector = new LoopbackConnector(app);
        app.Run(connector.HandleAsync);
        connector.BaseAddress = await LoopbackServer.StartAsync(app);
        return connector;
    }

    /// <summary>Consulted before the queued replies: an answer for this request, or null for the usual one (e.g. Teams-like limits).</summary>
    public Func<ConnectorRequest, ConnectorReply?>? Responder { get; set; }

    /// <summary>The next requests (any route) get these answers instead of the normal ones.</summary>
    public LoopbackConnector Reply(params ConnectorReply[] replies)
    {
        foreach (var reply in replies) _replies.Enqueue(reply);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _count);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var (operation, conversationId, secondId) = Route(context.Request.Method, context.Request.Path.Value ?? "");
        var request = new ConnectorRequest(operation, context.Request.Method, target, conversationId, secondId, headers, body);
        _requests.Enqueue(request);

        var reply = Responder?.Invoke(request) ?? (_replies.TryDequeue(out var next) ? next : DefaultReply(request, number));
        if (reply.Hang)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted); } catch (OperationCanceledException) { }
            return;
        }
        if (reply.Hold is { } hold)
        {
            try { await hold(context.RequestAborted); } catch (OperationCanceledException) { return; }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.Headers["X-Correlating-OperationId"] = $"op-{number}";
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (reply.Body is not null)
        {
            context.Response.ContentType = reply.Body.StartsWith('<') ? "text/html" : "application/json; charset=utf-8";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    private ConnectorReply DefaultReply(ConnectorRequest request, int number)
    {
        var id = $"activity-{number}";
        return request.Operation switch
        {
            ConnectorOperation.CreateConversation => Json(200, new ConversationResourceResponse { Id = $"a:created-{number}", ActivityId = id, ServiceUrl = ServiceUrl }, ProtocolJson.Context.ConversationResourceResponse),
            ConnectorOperation.DeleteActivity => new ConnectorReply(200),
            ConnectorOperation.GetMembers => Json(200, Members, ProtocolJson.Context.ListChannelAccount),
            ConnectorOperation.GetMember => Members.FirstOrDefault(m => m.Id == request.ActivityId) is { } member
                ? Json(200, member, ProtocolJson.Context.ChannelAccount)
                : ConnectorReply.Error(404, "MemberNotFoundInConversation", "The member is not in the conversation."),
            ConnectorOperation.GetPagedMembers => Json(200, new PagedMembersResult { Members = Members }, ProtocolJson.Context.PagedMembersResult),
            ConnectorOperation.Unknown => ConnectorReply.Error(404, "NotFound", "No such connector route."),
            _ => new ConnectorReply(200, new JsonObject { ["id"] = id }.ToJsonString()),
        };
    }

    private static ConnectorReply Json<T>(int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => new(status, JsonSerializer.Serialize(value, type));

    /// <summary>Which v3 operation a request is, with the (unescaped) conversation id and the activity or member id.</summary>
    private static (ConnectorOperation, string?, string?) Route(string method, string path)
    {
        var match = RouteRegex().Match(path);
        if (!match.Success) return (ConnectorOperation.Unknown, null, null);
        var conversation = match.Groups["conversation"].Success ? match.Groups["conversation"].Value : null;
        var second = match.Groups["id"].Success ? match.Groups["id"].Value : null;
        var kind = match.Groups["kind"].Value;
        var operation = (method, conversation, kind, second) switch
        {
            ("POST", null, _, _) => ConnectorOperation.CreateConversation,
            ("POST", _, "activities", null) => ConnectorOperation.SendToConversation,
            ("POST", _, "activities", _) => ConnectorOperation.ReplyToActivity,
            ("PUT", _, "activities", not null) => ConnectorOperation.UpdateActivity,
            ("DELETE", _, "activities", not null) => ConnectorOperation.DeleteActivity,
            ("GET", _, "members", null) => ConnectorOperation.GetMembers,
            ("GET", _, "members", _) => ConnectorOperation.GetMember,
            ("GET", _, "pagedmembers", null) => ConnectorOperation.GetPagedMembers,
            _ => ConnectorOperation.Unknown,
        };
        return (operation, conversation, second);
    }

    [GeneratedRegex("^" + BasePath + "/v3/conversations(?:/(?<conversation>[^/]+)/(?<kind>activities|members|pagedmembers)(?:/(?<id>[^/]+))?)?/?$")]
    private static partial Regex RouteRegex();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public enum ConnectorOperation
{
    Unknown,
    CreateConversation,
    SendToConversation,
    ReplyToActivity,
    UpdateActivity,
    DeleteActivity,
    GetMembers,
    GetMember,
    GetPagedMembers,
}

/// <summary>
/// One request the connector received: the raw (still escaped) target, the headers and the body;
/// <see cref="ActivityId"/> is the activity (or member) id of the route, unescaped.
/// </summary>
public sealed record ConnectorRequest(
    ConnectorOperation Operation,
    string Method,
    string RawTarget,
    string? ConversationId,
    string? ActivityId,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string PathAndQuery => RawTarget;

    public string? Authorization => Header("Authorization");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public Activity ReadActivity() => JsonSerializer.Deserialize(Body, ProtocolJson.Context.Activity)
        ?? throw new InvalidOperationException("The request had no activity body.");
}

/// <summary>
/// What the connector answers next. <see cref="Hang"/>: never answer (until the client gives up). <see cref="Hold"/>:
/// answer only once it completes; it gets a token that fires when the client goes away, and then nothing is answered.
/// </summary>
public sealed record ConnectorReply(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public Func<CancellationToken, Task>? Hold { get; init; }

    public static ConnectorReply Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(), headers);
}
