using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PastDueBot.LoadTest;

/// <summary>
/// Entra ID's client-credentials token endpoint for the bot's outbound token, on https://127.0.0.1:0 (MSAL accepts
/// only https authorities) with a throw-away certificate the bot process is told to trust via SSL_CERT_FILE.
/// Issues one access token; the connector accepts only that token.
/// </summary>
public sealed class FakeEntraId : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _tokenRequests;

    private FakeEntraId(WebApplication app, X509Certificate2 certificate, string secret)
    {
        _app = app;
        Certificate = certificate;
        Secret = secret;
    }

    public X509Certificate2 Certificate { get; }

    public string Secret { get; }

    public string TenantId { get; } = Guid.NewGuid().ToString();

    public string AccessToken { get; } = "loadtest-access-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The authority for ToChannelFromBotLoginUrl.</summary>
    public string LoginUrl => new Uri(BaseUrl, TenantId).ToString();

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public static async Task<FakeEntraId> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var entra = new FakeEntraId(app, certificate, "loadtest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
        app.MapGet("/common/discovery/instance", (HttpContext context) => Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = new Uri(entra.BaseUrl, $"{entra.TenantId}/v2.0/.well-known/openid-configuration").ToString(),
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(),
        }));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new JsonObject
        {
            ["issuer"] = new Uri(entra.BaseUrl, $"{tenant}/v2.0").ToString(),
            ["authorization_endpoint"] = new Uri(entra.BaseUrl, $"{tenant}/oauth2/v2.0/authorize").ToString(),
            ["token_endpoint"] = new Uri(entra.BaseUrl, $"{tenant}/oauth2/v2.0/token").ToString(),
            ["jwks_uri"] = new Uri(entra.BaseUrl, $"{tenant}/discovery/v2.0/keys").ToString(),
            ["response_types_supported"] = new JsonArray("token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        app.MapPost("/{tenant}/oauth2/v2.0/token", (Func<HttpContext, Task<IResult>>)entra.TokenAsync);
        await app.StartAsync();
        entra.BaseUrl = new Uri(LoopbackAddress.Of(app));
        return entra;
    }

    /// <summary>The certificate as PEM, for the bot's SSL_CERT_FILE (its only trusted root: it talks to nothing else).</summary>
    public string CertificatePem() => Certificate.ExportCertificatePem();

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials" || form["client_secret"] != Secret)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        }

        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = AccessToken,
        });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
