using System.Net;
using System.Text;
using System.Text.Json;
using PastDueBot.Protocol.Hosting;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>The messaging endpoint's answers for each kind of request (issue 2's status code table).</summary>
public sealed class EndpointStatusTests : IAsyncLifetime
{
    private BotTestEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await BotTestEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Other_methods_are_405_with_allow_post(string method)
    {
        using var response = await _env.Host.SendAsync(new HttpMethod(method), method is "PUT" or "PATCH" ? "{}" : null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Empty(_env.Bot.Turns);
    }

    [Fact]
    public async Task Message_is_200_with_empty_body_after_the_bot_ran()
    {
        using var response = await _env.PostAsync(_env.Message("hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Single(_env.Bot.Turns);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "", "not a JSON activity" },
        { "not json", "not a JSON activity" },
        { "[]", "not a JSON activity" },
        { "null", "not a JSON activity" },
        { "42", "not a JSON activity" },
        { "\"message\"", "not a JSON activity" },
        { "{\"type\":", "not a JSON activity" },
        { "{\"type\":5}", "not a JSON activity" },
        { "{\"type\":\"message\",\"conversation\":\"a:1\"}", "not a JSON activity" },
        { "{\"type\":\"message\",\"timestamp\":\"yesterday\"}", "not a JSON activity" },
        { "{}", "has no type" },
        { "{\"type\":\"\"}", "has no type" },
        { "{\"type\":\"message\"}", "no conversation.id" },
        { "{\"type\":\"message\",\"conversation\":{\"id\":\"a:1\"}}", "serviceUrl" },
        { "{\"type\":\"message\",\"conversation\":{\"id\":\"a:1\"},\"serviceUrl\":\"file:///etc/passwd\"}", "serviceUrl" },
        { "{\"type\":\"message\",\"conversation\":{\"id\":\"a:1\"},\"serviceUrl\":\"/relative\"}", "serviceUrl" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Body_that_is_not_an_activity_is_400_with_a_reason(string body, string reason)
    {
        using var response = await _env.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProtocolJson.Context.ErrorResponse);
        Assert.Equal("BadRequest", error?.Error?.Code);
        Assert.Contains(reason, error?.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(_env.Bot.Turns);
    }

    [Fact]
    public async Task Deeply_nested_json_is_400_not_a_crash()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000);
        using var response = await _env.PostRawAsync($"{{\"type\":\"message\",\"channelData\":{nested}}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Null_list_entries_are_dropped_before_the_bot_sees_them()
    {
        // Found by the fuzz test: membersAdded [{…}, null] crashed the members-added dispatch.
        var update = _env.Message("");
        update.Type = ActivityTypes.ConversationUpdate;
        var json = JsonSerializer.Serialize(update, ProtocolJson.Context.Activity)
            .Replace("\"type\":", "\"membersAdded\":[{\"id\":\"29:new\"},null],\"entities\":[null],\"type\":", StringComparison.Ordinal);

        using var response = await _env.PostRawAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(_env.Bot.Turns);
        Assert.Equal("29:new", Assert.Single(seen.MembersAdded!).Id);
        Assert.Empty(seen.Entities!);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_with_a_reason()
    {
        var activity = _env.Message(new string('x', ActivityRequestReader.MaxBodyBytes));
        using var response = await _env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_env.Bot.Turns);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"message\",\"text\":\"" + new string('y', ActivityRequestReader.MaxBodyBytes * 2) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, _env.Host.MessagesEndpoint)
        {
            Content = new StreamContent(new NoLengthStream(payload)),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await _env.Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Chunked_body_of_many_reads_arrives_whole()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)));
        var payload = JsonSerializer.SerializeToUtf8Bytes(_env.Message(text), ProtocolJson.Context.Activity);
        using var request = new HttpRequestMessage(HttpMethod.Post, _env.Host.MessagesEndpoint)
        {
            Content = new StreamContent(new NoLengthStream(payload), bufferSize: 1000),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", _env.Token());
        using var response = await _env.Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text, Assert.Single(_env.Bot.Turns).Text);
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_accepted()
    {
        var activity = _env.Message("");
        var overhead = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(activity, ProtocolJson.Context.Activity));
        activity.Text = new string('z', ActivityRequestReader.MaxBodyBytes - overhead);
        using var response = await _env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Non_json_content_type_is_415(string contentType)
    {
        using var response = await _env.PostRawAsync(JsonSerializer.Serialize(_env.Message("hi"), ProtocolJson.Context.Activity), contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(_env.Bot.Turns);
    }

    [Fact]
    public async Task Json_content_type_with_charset_is_accepted()
    {
        using var response = await _env.PostRawAsync(JsonSerializer.Serialize(_env.Message("hi"), ProtocolJson.Context.Activity), contentType: "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unhandled_invoke_is_501()
    {
        var invoke = _env.Message("");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = "composeExtension/query";

        using var response = await _env.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Single(_env.Bot.Turns);
    }

    [Fact]
    public async Task Adaptive_card_action_returns_the_bots_invoke_response()
    {
        _env.Bot.OnCardAction = (_, value) => Task.FromResult(new AdaptiveCardInvokeResponse
        {
            StatusCode = 200,
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = JsonSerializer.SerializeToElement($"verb {value.Action!.Verb}, trigger {value.Trigger}"),
        });
        var invoke = CardAction("Action.Execute", "retryPayment");

        using var response = await _env.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(200, body.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(AdaptiveCardInvokeResponse.MessageType, body.RootElement.GetProperty("type").GetString());
        Assert.Equal("verb retryPayment, trigger manual", body.RootElement.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Adaptive_card_action_not_handled_by_the_bot_is_501()
    {
        using var response = await _env.PostAsync(CardAction("Action.Execute", "retryPayment"));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Adaptive_card_action_other_than_execute_is_400_not_supported()
    {
        _env.Bot.OnCardAction = (_, _) => throw new InvalidOperationException("must not be called");

        using var response = await _env.PostAsync(CardAction("Action.Submit", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, body.RootElement.GetProperty("type").GetString());
        Assert.Equal("NotSupported", body.RootElement.GetProperty("value").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bot_exception_is_500_without_details_and_the_host_keeps_answering()
    {
        _env.Bot.OnMessage = (_, _) => throw new InvalidOperationException("secret internal detail");

        using var failed = await _env.PostAsync(_env.Message("boom"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var body = await failed.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);

        _env.Bot.OnMessage = null;
        using var ok = await _env.PostAsync(_env.Message("still there?"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task OnTurnError_handles_a_bot_exception_like_the_sdk()
    {
        _env.Host.Adapter.OnTurnError = (context, _) => context.SendActivityAsync("Sorry, something went wrong.");
        _env.Bot.OnMessage = (_, _) => throw new InvalidOperationException("boom");

        using var response = await _env.PostAsync(_env.Message("boom"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_env.Connector.Requests);
        Assert.Equal("Sorry, something went wrong.", sent.ReadActivity().Text);
    }

    [Fact]
    public async Task A_reply_the_user_blocked_ends_the_turn_with_200_and_its_redelivery_does_not_run_again()
    {
        var errorHandlerRan = false;
        _env.Host.Adapter.OnTurnError = (_, _) =>
        {
            errorHandlerRan = true;
            return Task.CompletedTask;
        };
        _env.Connector.Reply(new ConnectorReply(403, Connector.ConnectorSingleAttemptTests.MessageWritesBlockedBody));
        var activity = _env.Message("hello", id: "blocked-1");

        using var first = await _env.PostAsync(activity);
        using var redelivered = await _env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.False(errorHandlerRan); // its apology would be refused too
        Assert.Single(_env.Bot.Turns);
        Assert.Single(_env.Connector.Requests); // one refused reply, not one per delivery
    }

    [Fact]
    public async Task A_reply_refused_for_another_reason_still_fails_the_turn_for_a_redelivery()
    {
        _env.Connector.Reply(ConnectorReply.Error(400, "BadArgument", "Activity is malformed."));
        var activity = _env.Message("hello", id: "bad-1");

        using var first = await _env.PostAsync(activity);
        using var redelivered = await _env.PostAsync(activity);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(2, _env.Bot.Turns.Count); // the failed turn ran again
    }

    private Activity CardAction(string actionType, string verb)
    {
        var invoke = _env.Message("");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Text = null;
        invoke.Name = AdaptiveCardInvokeValue.InvokeName;
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = actionType, id = "a1", verb, data = new { invoiceId = "inv-1" } }, trigger = "manual" });
        return invoke;
    }

    /// <summary>A stream that hides its length, so HttpClient must send it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
