using System.Net;
using System.Text.Json;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Builder;

/// <summary>Ends an invoke with a given status and body (SDK: InvokeResponseException).</summary>
public sealed class InvokeResponseException(HttpStatusCode statusCode, JsonElement? body = null)
    : Exception($"Invoke answered with {(int)statusCode}.")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public JsonElement? Body { get; } = body;

    public InvokeResponse ToInvokeResponse() => new((int)StatusCode, Body);
}
