using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PastDueBot.Testing;

/// <summary>A token request as Entra ID received it (form fields; the secret only as "did it match").</summary>
public sealed record TokenRequest(string Path, string? GrantType, string? ClientId, string? Scope, bool SecretMatched);

/// <summary>
/// Entra ID's v2.0 endpoints on Kestrel https://127.0.0.1:0 with a throw-away self-signed certificate
/// (MSAL accepts only https authorities): the OpenID discovery document under
/// <c>/{tenant}/v2.0/.well-known/openid-configuration</c> and the client-credentials token endpoint
/// <c>/{tenant}/oauth2/v2.0/token</c> (plus instance discovery, <c>/common/discovery/instance</c>) answering <c>{token_type, expires_in, ext_expires_in, access_token}</c>,
/// or Entra's <c>invalid_client</c> error for a wrong secret. Shared by the tests (in-process MSAL, trusting it through
/// <see cref="CreateTrustingHandler"/>) and the load test (a bot process trusting it through SSL_CERT_FILE and
/// <see cref="CertificatePem"/>, with a connector that accepts only tokens it issued, <see cref="IsIssued"/>).
/// </summary>
public sealed class FakeEntraId : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<string> _paths = new();
    private int _issued;

    private FakeEntraId(WebApplication app, X509Certificate2 certificate, string secret)
    {
        _app = app;
        Certificate = certificate;
        _secret = secret;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The client secret it accepts.</summary>
    public string Secret => _secret;

    /// <summary>A tenant id for the authority (any tenant path is served).</summary>
    public string TenantId { get; } = Guid.NewGuid().ToString();

    /// <summary>The authority for ToChannelFromBotLoginUrl: https://127.0.0.1:{port}/{TenantId}.</summary>
    public string LoginUrl => new Uri(BaseUrl, TenantId).ToString();

    /// <summary>https://127.0.0.1:{port}</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>Every path requested, to see what MSAL fetched (discovery, token).</summary>
    public IReadOnlyList<string> Paths => [.. _paths];

    public static string TokenNumber(int n) => $"fake-entra-access-token-{n}";

    /// <summary>Whether <paramref name="token"/> is one this server issued.</summary>
    public bool IsIssued(string token)
    {
        var issued = Volatile.Read(ref _issued);
        for (var n = 1; n <= issued; n++)
        {
            if (token == TokenNumber(n)) return true;
        }
        return false;
    }

    /// <summary>Starts the server; without a secret it makes up a random one (<see cref="Secret"/>).</summary>
    public static async Task<FakeEntraId> StartAsync(string? clientSecret = null)
    {
        clientSecret ??= "fake-entra-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var entra = new FakeEntraId(app, certificate, clientSecret);
        app.Use(async (context, next) => { entra._paths.Enqueue(context.Request.Path.Value ?? ""); await next(context); });
        app.MapGet("/common/discovery/instance", InstanceDiscovery);
        // MSAL builds the token endpoint of an Entra-style authority itself and does not read this document; served for completeness.
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", entra.Discovery);
        app.MapPost("/{tenant}/oauth2/v2.0/token", (Func<HttpContext, Task<IResult>>)entra.TokenAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        entra.BaseUrl = new Uri(address);
        return entra;
    }

    /// <summary>The certificate as PEM, for a bot process's SSL_CERT_FILE (its only trusted root).</summary>
    public string CertificatePem() => Certificate.ExportCertificatePem();

    /// <summary>Trusts exactly this server's certificate (for the MSAL HttpClient in tests).</summary>
    public HttpMessageHandler CreateTrustingHandler() => new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Certificate.GetCertHashString() },
    };

    /// <summary>Entra's instance discovery answer for the public cloud (MSAL asks it for login.microsoftonline.com authorities).</summary>
    private static IResult InstanceDiscovery([FromQuery(Name = "authorization_endpoint")] string authorizationEndpoint)
    {
        var authority = new Uri(authorizationEndpoint);
        var tenant = authority.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        return Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"https://{authority.Host}/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = "login.microsoftonline.com",
                ["preferred_cache"] = "login.windows.net",
                ["aliases"] = new JsonArray("login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"),
            }),
        });
    }

    private IResult Discovery(string tenant)
    {
        var issuer = new Uri(BaseUrl, $"{tenant}/v2.0").ToString();
        return Results.Json(new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = new Uri(BaseUrl, $"{tenant}/oauth2/v2.0/authorize").ToString(),
            ["token_endpoint"] = new Uri(BaseUrl, $"{tenant}/oauth2/v2.0/token").ToString(),
            ["jwks_uri"] = new Uri(BaseUrl, $"{tenant}/discovery/v2.0/keys").ToString(),
            ["response_types_supported"] = new JsonArray("code", "id_token", "token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["tenant_region_scope"] = "EU",
        });
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var matched = form["client_secret"] == _secret;
        _tokenRequests.Enqueue(new TokenRequest(context.Request.Path.Value ?? "", form["grant_type"], form["client_id"], form["scope"], matched));
        if (!matched)
        {
            return Results.Json(new JsonObject
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
                ["error_codes"] = new JsonArray(7000215),
                ["timestamp"] = "2026-11-26 12:00:00Z",
                ["trace_id"] = Guid.NewGuid().ToString(),
                ["correlation_id"] = Guid.NewGuid().ToString(),
            }, statusCode: 401);
        }

        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = TokenNumber(Interlocked.Increment(ref _issued)),
        });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // A self-signed CA for itself only, so OpenSSL accepts it as the root in SSL_CERT_FILE.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
        // Re-imported so Kestrel gets a certificate with a usable private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
