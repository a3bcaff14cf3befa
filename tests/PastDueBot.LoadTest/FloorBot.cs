using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PastDueBot.LoadTest;

/// <summary>
/// The plumbing floor: what any bot on this stack pays per turn before its own work. It takes the channel's POST
/// (Kestrel, the same host builder as the bot), parses the activity, posts one reply to the Bot Connector (HttpClient)
/// and answers 200: no token check, no state, no dialog, no card. Run as its own process by <see cref="FloorRun"/>.
/// </summary>
public static class FloorBot
{
    /// <summary>Set in the environment of the process that should serve as the floor bot.</summary>
    public const string RoleVariable = "PASTDUEBOT_LOADTEST_ROLE";

    public static bool IsRequested => Environment.GetEnvironmentVariable(RoleVariable) == "floor";

    public static async Task RunAsync()
    {
        // As the bot's Program.cs: configuration read once, not watched.
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        var app = builder.Build();
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler);
        app.MapPost("/api/messages", async (HttpContext context) =>
        {
            using var activity = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = activity.RootElement;
            var serviceUrl = root.GetProperty("serviceUrl").GetString()!.TrimEnd('/');
            var conversationId = root.GetProperty("conversation").GetProperty("id").GetString()!;
            var activityId = root.GetProperty("id").GetString()!;
            var reply = new Dictionary<string, object>
            {
                ["type"] = "message",
                ["text"] = "ok",
                ["replyToId"] = activityId,
                ["conversation"] = new Dictionary<string, string> { ["id"] = conversationId },
            };
            var url = $"{serviceUrl}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}";
            using var response = await http.PostAsJsonAsync(url, reply, context.RequestAborted);
            context.Response.StatusCode = response.IsSuccessStatusCode ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway;
        });
        await app.RunAsync();
    }
}
