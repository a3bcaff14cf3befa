using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// Plays the Bot Connector service (Teams' serviceUrl) on 127.0.0.1: the v3 conversation routes of
/// teams-bot-facts §3 under a <c>/teams/</c> base path (as smba.trafficmanager.net/teams/), recording every request.
/// Faults can be queued: status code with a connector error body, Retry-After, a delay before answering.
/// Every answer carries <c>X-Correlating-OperationId</c>, as the real service's do.
/// </summary>
public sealed class LoopbackConnector : IAsyncDisposable
{
    public const string BasePath = "/teams";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorRequest> _requests = new();
    private readonly ConcurrentQueue<ConnectorFault> _faults = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _nextId;

    private LoopbackConnector(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The serviceUrl activities should carry, with the trailing slash Teams uses.</summary>
    public string ServiceUrl => new Uri(BaseAddress, BasePath + "/").ToString();

    /// <summary>Members returned by the member routes.</summary>
    public List<ChannelAccount> Members { get; } = [new() { Id = "29:1-user", Name = "Megan Bowen", AadObjectId = "00000000-0000-0000-0000-0000000000aa" }];

    public IReadOnlyList<ConnectorRequest> Requests => _requests.ToArray();

    public static async Task<LoopbackConnector> StartAsync()
    {
        var builder = LoopbackServer.CreateBuilder();
        var app = builder.Build();
        LoopbackConnector? connector = null;
        var v3 = app.MapGroup(BasePath + "/v3/conversations");
        v3.MapPost("", (Func<HttpContext, Task<IResult>>)(c => connector!.HandleAsync(c, ConnectorOperation.CreateConversation, null, null)));
        v3.MapPost("{conversationId}/activities", (HttpContext c, string conversationId) => connector!.HandleAsync(c, ConnectorOperation.SendToConversation, conversationId, null));
        v3.MapPost("{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => connector!.HandleAsync(c, ConnectorOperation.ReplyToActivity, conversationId, activityId));
        v3.MapPut("{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => connector!.HandleAsync(c, ConnectorOperation.UpdateActivity, conversationId, activityId));
        v3.MapDelete("{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => connector!.HandleAsync(c, ConnectorOperation.DeleteActivity, conversationId, activityId));
        v3.MapGet("{conversationId}/members", (HttpContext c, string conversationId) => connector!.HandleAsync(c, ConnectorOperation.GetMembers, conversationId, null));
        v3.MapGet("{conversationId}/members/{memberId}", (HttpContext c, string conversationId, string memberId) => connector!.HandleAsync(c, ConnectorOperation.GetMember, conversationId, memberId));
        v3.MapGet("{conversationId}/pagedmembers", (HttpContext c, string conversationId) => connector!.HandleAsync(c, ConnectorOperation.GetPagedMembers, conversationId, null));
        var address = await LoopbackServer.StartAsync(app);
        connector = new LoopbackConnector(app, address);
        return connector;
    }

    /// <summary>The next matching request gets this fault instead of the normal answer (queue several for retries).</summary>
    public void EnqueueFault(ConnectorFault fault) => _faults.Enqueue(fault);

    /// <summary>Waits until at least <paramref name="count"/> requests arrived in total (for work done after the HTTP answer).</summary>
    public async Task<IReadOnlyList<ConnectorRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (_requests.Count < count)
        {
            await _arrivals.WaitAsync(cts.Token);
        }
        return Requests;
    }

    private async Task<IResult> HandleAsync(HttpContext context, ConnectorOperation operation, string? conversationId, string? secondId)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new ConnectorRequest(
            operation,
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            conversationId,
            operation is ConnectorOperation.GetMember ? null : secondId,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            body);
        _requests.Enqueue(request);
        _arrivals.Release();

        context.Response.Headers["X-Correlating-OperationId"] = Guid.NewGuid().ToString("N")[..16];
        if (TryTakeFault(request, out var fault))
        {
            if (fault.Delay is { } delay) await Task.Delay(delay, context.RequestAborted);
            if (fault.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (fault.StatusCode is { } status)
            {
                return Results.Json(new ErrorResponse { Error = new Error { Code = fault.ErrorCode ?? "ServiceError", Message = fault.ErrorMessage ?? "Injected by LoopbackConnector." } },
                    ProtocolJson.Options, statusCode: status);
            }
        }

        var id = $"1{Interlocked.Increment(ref _nextId):D12}";
        return operation switch
        {
            ConnectorOperation.CreateConversation => Results.Json(new ConversationResourceResponse { Id = $"a:created-{id}", ActivityId = id, ServiceUrl = ServiceUrl }, ProtocolJson.Options),
            ConnectorOperation.DeleteActivity => Results.Ok(),
            ConnectorOperation.GetMembers => Results.Json(Members, ProtocolJson.Options),
            ConnectorOperation.GetMember => Members.FirstOrDefault(m => m.Id == secondId) is { } member
                ? Results.Json(member, ProtocolJson.Options)
                : Results.Json(new ErrorResponse { Error = new Error { Code = "MemberNotFoundInConversation", Message = "The member is not in the conversation." } }, ProtocolJson.Options, statusCode: 404),
            ConnectorOperation.GetPagedMembers => Results.Json(new PagedMembersResult { Members = Members }, ProtocolJson.Options),
            _ => Results.Json(new ResourceResponse { Id = id }, ProtocolJson.Options),
        };
    }

    private bool TryTakeFault(ConnectorRequest request, out ConnectorFault fault)
    {
        lock (_faults)
        {
            if (_faults.TryPeek(out fault!) && (fault.Operation is null || fault.Operation == request.Operation))
            {
                return _faults.TryDequeue(out fault!);
            }
        }
        fault = null!;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}

public enum ConnectorOperation
{
    CreateConversation,
    SendToConversation,
    ReplyToActivity,
    UpdateActivity,
    DeleteActivity,
    GetMembers,
    GetMember,
    GetPagedMembers,
}

/// <summary>One request the connector received; <see cref="ReadActivity"/> parses an activity body.</summary>
public sealed record ConnectorRequest(
    ConnectorOperation Operation,
    string Method,
    string PathAndQuery,
    string? ConversationId,
    string? ActivityId,
    string? Authorization,
    string Body)
{
    public Activity ReadActivity() => JsonSerializer.Deserialize(Body, ProtocolJson.Context.Activity)
        ?? throw new InvalidOperationException("The request had no activity body.");
}

/// <summary>
/// A programmed failure. <see cref="StatusCode"/> null with a <see cref="Delay"/> only slows the normal answer.
/// <see cref="Operation"/> null matches any route.
/// </summary>
public sealed record ConnectorFault(
    int? StatusCode,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    TimeSpan? RetryAfter = null,
    TimeSpan? Delay = null,
    ConnectorOperation? Operation = null);
