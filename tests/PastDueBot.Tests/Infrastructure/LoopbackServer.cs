using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>Starts a Kestrel app on 127.0.0.1 with an OS-chosen port and reports its address.</summary>
public static class LoopbackServer
{
    /// <summary>Loopback only, port chosen by the OS.</summary>
    public const string Url = "http://127.0.0.1:0";

    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls(Url);
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns its base address, e.g. <c>http://127.0.0.1:49152</c>.</summary>
    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }
}
