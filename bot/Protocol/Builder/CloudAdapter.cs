using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Connector;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Builder;

/// <summary>
/// Runs turns for HTTP requests from the channel and for proactive messages (SDK: CloudAdapter).
/// Request order: 405 (not POST) → 413/415/400 (body) → 401 (token) → one turn per conversation (a redelivery of a
/// completed turn: 200) → 200, or the invoke's response (501 when nothing answered it).
/// <para>
/// Deadline: as in the SDK, a message turn is awaited before the 200, so the bot must not do slow work inside
/// the turn. Teams re-sends after ~15 s (invokes time out after 5 s): the bot answers quickly ("working on it",
/// or the invoke's card) and starts slow work (a payment) in the background, posting the result later with
/// <see cref="ContinueConversationAsync"/>. Never await ContinueConversationAsync for the same conversation inside
/// a turn: it waits for that turn's conversation lock.
/// </para>
/// </summary>
public sealed class CloudAdapter(
    ChannelTokenValidator tokenValidator,
    IConnectorClientFactory connectorClientFactory,
    IConversationLock conversationLock,
    IActivityDeduplicator deduplicator,
    ILogger<CloudAdapter> logger)
{
    /// <summary>Name of the event activity a proactive turn sees (SDK: ActivityEventNames.ContinueConversation).</summary>
    public const string ContinueConversationEventName = "ContinueConversation";

    /// <summary>
    /// Called when the bot throws. When set (e.g. to apologise to the user), the turn counts as handled, as in the
    /// SDK; when not set the request answers 500 with an empty body.
    /// </summary>
    public Func<ITurnContext, Exception, Task>? OnTurnError { get; set; }

    public async Task ProcessAsync(HttpRequest request, HttpResponse response, IBot bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(bot);
        try
        {
            await ProcessCoreAsync(request, response, bot, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The channel hung up; there is nobody to answer.
        }
        catch (Exception ex)
        {
            // Last line: never a stack trace in a response, whatever the environment's exception page would do.
            logger.LogError(ex, "Unexpected failure while processing a channel request");
            if (!response.HasStarted)
            {
                response.Clear();
                response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private async Task ProcessCoreAsync(HttpRequest request, HttpResponse response, IBot bot, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = "POST";
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var read = await ActivityRequestReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (read.Error is { } error)
        {
            logger.LogInformation("Rejected channel request with {StatusCode}: {Reason}", error.Status, error.Message);
            await WriteErrorAsync(response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        var activity = read.Activity!;
        using var scope = BeginActivityScope(activity);

        ClaimsIdentity identity;
        try
        {
            identity = await tokenValidator.AuthenticateRequestAsync(activity, request.Headers.Authorization, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Every authentication failure is a 401 with no body (SDK behaviour; its 500s for bad signatures are not kept).
            var reason = ex is ChannelAuthenticationException ? ex.Message : $"unexpected {ex.GetType().Name}";
            logger.LogWarning("Rejected channel request with 401: {Reason}", reason);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var outcome = await RunTurnAsync(activity, identity, bot.OnTurnAsync, cancellationToken).ConfigureAwait(false);
        await WriteOutcomeAsync(response, activity, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A proactive turn along a stored reference (SDK: ContinueConversationAsync). The callback sees an event
    /// activity named <see cref="ContinueConversationEventName"/>; it runs under the conversation's lock.
    /// </summary>
    public async Task ContinueConversationAsync(ConversationReference reference, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        if (string.IsNullOrWhiteSpace(reference.ServiceUrl)) throw new ArgumentException("The reference has no serviceUrl.", nameof(reference));
        if (string.IsNullOrWhiteSpace(reference.Conversation?.Id)) throw new ArgumentException("The reference has no conversation id.", nameof(reference));

        var activity = reference.ApplyTo(new Activity { Type = ActivityTypes.Event, Name = ContinueConversationEventName }, isIncoming: true);
        using var scope = BeginActivityScope(activity);
        await using var held = await conversationLock.AcquireAsync(ConversationKey(activity), cancellationToken).ConfigureAwait(false);
        var context = new TurnContext(activity, connectorClientFactory.Create(reference.ServiceUrl));
        await callback(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One turn under the conversation's lock: a redelivery of a turn that completed is answered without running
    /// the bot; a completed turn is recorded (with its state, when it saved any), a failed one is not, so Teams'
    /// redelivery runs it again.
    /// </summary>
    private async Task<TurnOutcome> RunTurnAsync(Activity activity, ClaimsIdentity identity, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken)
    {
        await using var held = await conversationLock.AcquireAsync(ConversationKey(activity), cancellationToken).ConfigureAwait(false);
        var context = new TurnContext(activity, connectorClientFactory.Create(activity.ServiceUrl!), identity);
        var deduplicated = !string.IsNullOrEmpty(activity.Id);
        if (deduplicated && !await deduplicator.TryBeginAsync(context, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Redelivered activity ignored");
            return TurnOutcome.Duplicate;
        }

        var outcome = await RunBotAsync(context, callback, cancellationToken).ConfigureAwait(false);
        if (!outcome.IsFailed && deduplicated) await RecordCompletedAsync(context).ConfigureAwait(false);
        return outcome;
    }

    private async Task<TurnOutcome> RunBotAsync(TurnContext context, Func<ITurnContext, CancellationToken, Task> callback, CancellationToken cancellationToken)
    {
        try
        {
            await callback(context, cancellationToken).ConfigureAwait(false);
            return TurnOutcome.Completed(context.InvokeResponse);
        }
        catch (ConnectorException ex) when (ex.IsBotRemovedOrBlocked)
        {
            // The person blocked the bot, or the tenant or the roster shut it out: no reply of this turn, nor of an
            // error handler, can reach them, and a redelivery would meet the same refusal. The turn ends answered
            // (its state unsaved, the activity recorded as handled), so Teams does not deliver it again.
            logger.LogWarning("The conversation refused the bot's reply ({Reason}); the turn ends without one", ex.BlockedReason);
            return TurnOutcome.Completed(context.InvokeResponse);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "The bot failed during the turn");
            if (OnTurnError is null) return TurnOutcome.Failed;
            try
            {
                await OnTurnError(context, ex).ConfigureAwait(false);
                return TurnOutcome.Completed(context.InvokeResponse);
            }
            catch (Exception handlerError)
            {
                logger.LogError(handlerError, "OnTurnError failed");
                return TurnOutcome.Failed;
            }
        }
    }

    /// <summary>
    /// The bot has answered; if the record cannot be written, a redelivery would run the turn again, which beats
    /// failing a turn whose replies are already out (its state, if any, was saved with the record).
    /// </summary>
    private async Task RecordCompletedAsync(TurnContext context)
    {
        try
        {
            await deduplicator.CompleteAsync(context, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the completed turn; a redelivery of this activity would run again");
        }
    }

    private static async Task WriteOutcomeAsync(HttpResponse response, Activity activity, TurnOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.IsFailed)
        {
            response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        // A redelivered invoke gets a bare 200: the first delivery's answer went (or goes) to the first request.
        if (activity.Type != ActivityTypes.Invoke || outcome.IsDuplicate)
        {
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (outcome.InvokeResponse is not { } invoke)
        {
            response.StatusCode = StatusCodes.Status501NotImplemented;
            return;
        }

        response.StatusCode = invoke.Status;
        if (invoke.Body is { } body && body.ValueKind != JsonValueKind.Undefined)
        {
            response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(response.Body);
            body.WriteTo(writer);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteErrorAsync(HttpResponse response, ActivityReadError error, CancellationToken cancellationToken)
    {
        response.StatusCode = error.Status;
        response.ContentType = "application/json; charset=utf-8";
        var body = new ErrorResponse { Error = new Error { Code = error.Code, Message = error.Message } };
        return JsonSerializer.SerializeAsync(response.Body, body, ProtocolJson.Context.ErrorResponse, cancellationToken);
    }

    /// <summary>The lock key: one turn at a time per channel conversation.</summary>
    public static string ConversationKey(Activity activity) => $"{activity.ChannelId}/{activity.Conversation?.Id}";

    private IDisposable? BeginActivityScope(Activity activity) => logger.BeginScope(new Dictionary<string, object?>
    {
        ["ActivityId"] = Truncate(activity.Id),
        ["ActivityType"] = Truncate(activity.Type),
        ["ConversationId"] = Truncate(activity.Conversation?.Id),
        ["ChannelId"] = Truncate(activity.ChannelId),
    });

    /// <summary>Ids come from the request; keep a hostile one from bloating every log line.</summary>
    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] + "…" : value;

    private sealed record TurnOutcome(bool IsDuplicate, bool IsFailed, InvokeResponse? InvokeResponse)
    {
        public static readonly TurnOutcome Duplicate = new(true, false, null);
        public static readonly TurnOutcome Failed = new(false, true, null);
        public static TurnOutcome Completed(InvokeResponse? invokeResponse) => new(false, false, invokeResponse);
    }
}
