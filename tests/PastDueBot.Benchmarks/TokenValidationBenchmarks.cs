using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PastDueBot.Protocol.Authentication;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Benchmarks;

/// <summary>
/// The channel token check of every request with the signing keys already cached: the protocol's own validator,
/// its metadata and JWKS fetched once from a loopback server (as from login.botframework.com), RS256 tokens.
/// The channel reuses a token for an hour, so most requests carry one already verified; the first sight of a
/// token pays for the signature.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private ChannelTokenValidator _validator = null!;
    private Activity _activity = null!;
    private string _header = "";
    private string[] _freshHeaders = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var appId = Guid.NewGuid().ToString();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        var p = _rsa.ExportParameters(false);
        string? baseUrl = null;
        _server.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
        {
            ["issuer"] = "https://api.botframework.com",
            ["jwks_uri"] = $"{baseUrl}/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        _server.MapGet("/v1/.well-known/keys", () => Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "bench-key", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!),
                ["endorsements"] = new JsonArray("msteams"),
            }),
        }));
        await _server.StartAsync();
        baseUrl = _server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');

        var options = Options.Create(new BotFrameworkOptions
        {
            MicrosoftAppId = appId,
            ToBotFromChannelOpenIdMetadataUrl = $"{baseUrl}/v1/.well-known/openidconfiguration",
        });
        _http = new HttpClient();
        _validator = new ChannelTokenValidator(options, new ChannelSigningKeys(options.Value.OpenIdMetadataUrl, _http), NullLogger<ChannelTokenValidator>.Instance);
        _activity = JsonSerializer.Deserialize(Samples.Bytes("teams-message.json"), ProtocolJson.Context.Activity)!;
        _header = "Bearer " + Token(appId);
        await _validator.AuthenticateRequestAsync(_activity, _header, CancellationToken.None); // keys cached from here on

        // More distinct tokens than the validator keeps, so each one is new to it.
        _freshHeaders = Enumerable.Range(0, CheckedTokenCache.Capacity * 4).Select(i => "Bearer " + Token(appId, i)).ToArray();
    }

    [Benchmark(Description = "validate channel token (keys cached, token seen before)")]
    public Task<ClaimsIdentity> ValidateAsync() => _validator.AuthenticateRequestAsync(_activity, _header, CancellationToken.None);

    [Benchmark(Description = "validate channel token (keys cached, first sight of the token)")]
    public Task<ClaimsIdentity> ValidateFirstSightAsync()
        => _validator.AuthenticateRequestAsync(_activity, _freshHeaders[_next++ % _freshHeaders.Length], CancellationToken.None);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        _rsa.Dispose();
    }

    private string Token(string appId, int serial = 0)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-serial); // a distinct nbf makes a distinct token
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = "bench-key" };
        var claims = new JsonObject
        {
            ["iss"] = "https://api.botframework.com", ["aud"] = appId, ["serviceurl"] = ServiceUrl,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(2).ToUnixTimeSeconds(),
        };
        var input = $"{B64(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{B64(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        return $"{input}.{B64(_rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
