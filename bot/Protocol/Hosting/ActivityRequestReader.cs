using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Hosting;

/// <summary>
/// Turns a request body into an activity or a client error, before anything trusts it: size, content type,
/// JSON shape, and the fields every turn needs. Nothing here throws for bad input.
/// </summary>
public static class ActivityRequestReader
{
    /// <summary>
    /// Largest accepted body. Teams' card budget is 28 KB and real activities with attachments and entities stay
    /// well under 100 KB; 256 KB leaves room without letting one request buffer megabytes.
    /// </summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static async Task<ActivityReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return ActivityReadResult.Fail(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than {MaxBodyBytes} bytes.");

        if (!string.IsNullOrEmpty(request.ContentType) && !IsJson(request.ContentType))
            return ActivityReadResult.Fail(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", "The body must be application/json.");

        byte[] body;
        int length;
        try
        {
            (body, length) = await ReadLimitedAsync(request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The request body could not be read.");
        }

        Activity? activity;
        try
        {
            if (length > MaxBodyBytes)
                return ActivityReadResult.Fail(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The body is larger than {MaxBodyBytes} bytes.");
            // JsonElement members (value, channelData, card content) are copied out of the buffer, so it can go back.
            activity = JsonSerializer.Deserialize(body.AsSpan(0, length), ProtocolJson.Context.Activity);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Whatever the parser choked on (syntax, wrong types, depth, bad UTF-8): the caller sent no activity.
            return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The body is not a JSON activity.");
        }
        finally
        {
            // Cleared: a body may hold a card number the admin typed, and the pool hands the array to others.
            ArrayPool<byte>.Shared.Return(body, clearArray: true);
        }

        if (activity is null) return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The body is not a JSON activity.");
        if (string.IsNullOrWhiteSpace(activity.Type)) return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The activity has no type.");
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id)) return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The activity has no conversation.id.");
        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || (serviceUrl.Scheme != Uri.UriSchemeHttps && serviceUrl.Scheme != Uri.UriSchemeHttp))
            return ActivityReadResult.Fail(StatusCodes.Status400BadRequest, "BadRequest", "The activity has no absolute http(s) serviceUrl.");

        RemoveNullElements(activity);
        return new ActivityReadResult(activity, null);
    }

    /// <summary>
    /// JSON allows <c>[null]</c> where the schema's lists hold non-null items; drop such entries here so that code
    /// downstream can trust the nullable annotations.
    /// </summary>
    private static void RemoveNullElements(Activity activity)
    {
        activity.MembersAdded?.RemoveAll(static m => m is null);
        activity.MembersRemoved?.RemoveAll(static m => m is null);
        activity.Attachments?.RemoveAll(static a => a is null);
        activity.Entities?.RemoveAll(static e => e is null);
        activity.SuggestedActions?.Actions?.RemoveAll(static a => a is null);
        activity.SuggestedActions?.To?.RemoveAll(static t => t is null);
    }

    private static bool IsJson(string contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var media)
           && media.MediaType is { } type
           && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the body into a pooled buffer (the caller returns it), at most one byte past the limit, so an oversized
    /// chunked body is refused without buffering it. A declared length sizes the buffer once.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadLimitedAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        const int Cap = MaxBodyBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is >= 0 and < MaxBodyBytes ? (int)contentLength + 1 : 4096);
        var length = 0;
        try
        {
            while (length < Cap)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, Cap));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, Cap) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }
}

/// <summary>Either the activity or the status, code and reason to answer with.</summary>
public sealed record ActivityReadResult(Activity? Activity, ActivityReadError? Error)
{
    public static ActivityReadResult Fail(int status, string code, string message) => new(null, new ActivityReadError(status, code, message));
}

public sealed record ActivityReadError(int Status, string Code, string Message);
