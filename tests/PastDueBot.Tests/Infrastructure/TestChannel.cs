using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Tests.Infrastructure;

/// <summary>
/// Plays the Bot Framework channel (Teams through Azure Bot Service) on 127.0.0.1: serves the OpenID metadata and
/// the JWKS with <c>endorsements</c>, like login.botframework.com does, signs tokens with its own RSA keys, and
/// posts activities to a bot. Point the bot at it with <see cref="BotConfiguration"/>.
/// <code>
/// await using var channel = await TestChannel.StartAsync();
/// var token = channel.CreateToken(serviceUrl, t => t.Expires = DateTimeOffset.UtcNow.AddMinutes(-10));
/// var response = await channel.PostActivityAsync(botEndpoint, activity, token);
/// </code>
/// </summary>
public sealed class TestChannel : IAsyncDisposable
{
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly List<TestSigningKey> _published = [];
    private int _metadataRequests;
    private int _keysRequests;

    private TestChannel(WebApplication app, Uri baseAddress, string appId)
    {
        _app = app;
        BaseAddress = baseAddress;
        AppId = appId;
        CurrentKey = new TestSigningKey("test-key-1", [Channels.Msteams, "webchat"]);
        _published.Add(CurrentKey);
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public Uri MetadataUrl => new(BaseAddress, MetadataPath);

    /// <summary>The bot's app id the channel issues tokens for (a GUID, as Entra app ids are).</summary>
    public string AppId { get; }

    /// <summary>The key used when a token does not name another.</summary>
    public TestSigningKey CurrentKey { get; private set; }

    public HttpClient Http { get; }

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);
    public int KeysRequests => Volatile.Read(ref _keysRequests);

    public static async Task<TestChannel> StartAsync(string? appId = null)
    {
        var builder = LoopbackServer.CreateBuilder();
        var app = builder.Build();
        TestChannel? channel = null;
        app.MapGet(MetadataPath, () => channel!.Metadata());
        app.MapGet(KeysPath, () => channel!.Keys());
        var address = await LoopbackServer.StartAsync(app);
        channel = new TestChannel(app, address, appId ?? Guid.NewGuid().ToString());
        return channel;
    }

    /// <summary>The configuration keys of an Azure Bot that trusts this channel (SingleTenant, made-up secret).</summary>
    public Dictionary<string, string?> BotConfiguration() => new()
    {
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = "test-only-not-a-secret",
        ["MicrosoftAppType"] = "SingleTenant",
        ["MicrosoftAppTenantId"] = "11111111-2222-3333-4444-555555555555",
        ["ToBotFromChannelOpenIdMetadataUrl"] = MetadataUrl.ToString(),
    };

    /// <summary>Publishes a new key and signs with it from now on (key rotation); the old key stays published.</summary>
    public TestSigningKey RotateKey(string kid, params string[] endorsements)
    {
        var key = new TestSigningKey(kid, endorsements);
        lock (_published) _published.Add(key);
        CurrentKey = key;
        return key;
    }

    /// <summary>Stops publishing a key (the end of a rotation); tokens it signed can no longer be verified.</summary>
    public void RetireKey(TestSigningKey key)
    {
        lock (_published) _published.Remove(key);
    }

    /// <summary>Publishes another key (null endorsements: the JWK has no endorsements member) without signing with it by default.</summary>
    public TestSigningKey PublishKey(string kid, IReadOnlyList<string>? endorsements)
    {
        var key = new TestSigningKey(kid, endorsements);
        lock (_published) _published.Add(key);
        return key;
    }

    /// <summary>A signed JWT; <paramref name="configure"/> can break any part of it.</summary>
    public string CreateToken(string? serviceUrl, Action<TokenSpec>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = new TokenSpec { Audience = AppId, ServiceUrl = serviceUrl, NotBefore = now.AddMinutes(-1), Expires = now.AddHours(1) };
        configure?.Invoke(spec);
        return Sign(spec);
    }

    public string Sign(TokenSpec spec)
    {
        var key = spec.SigningKey ?? CurrentKey;
        var header = new Dictionary<string, object> { ["alg"] = spec.Algorithm, ["typ"] = "JWT" };
        var kid = spec.Kid ?? key.Kid;
        if (kid.Length > 0) header["kid"] = kid;

        var claims = new Dictionary<string, object>();
        if (spec.Issuer is not null) claims["iss"] = spec.Issuer;
        if (spec.Audience is not null) claims["aud"] = spec.Audience;
        if (spec.ServiceUrl is not null) claims["serviceurl"] = spec.ServiceUrl;
        if (spec.NotBefore is { } nbf) claims["nbf"] = nbf.ToUnixTimeSeconds();
        if (spec.Expires is { } exp) claims["exp"] = exp.ToUnixTimeSeconds();
        claims["iat"] = (spec.NotBefore ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        foreach (var (name, value) in spec.ExtraClaims) claims[name] = value;

        var signingInput = $"{Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = spec.Algorithm switch
        {
            "RS256" => key.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => key.Rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => key.Rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "HS256" => HMACSHA256.HashData(spec.HmacKey ?? throw new InvalidOperationException("HS256 needs HmacKey."), data),
            "none" => [],
            _ => throw new NotSupportedException(spec.Algorithm),
        };
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>Posts an activity as the channel does: JSON body, <c>Authorization: Bearer</c> when a token is given.</summary>
    public Task<HttpResponseMessage> PostActivityAsync(Uri botEndpoint, Activity activity, string? token)
        => PostAsync(botEndpoint, JsonSerializer.Serialize(activity, ProtocolJson.Context.Activity), token is null ? null : $"Bearer {token}");

    /// <summary>Posts any body with any Authorization header value (null: none).</summary>
    public async Task<HttpResponseMessage> PostAsync(Uri botEndpoint, string body, string? authorization, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, botEndpoint)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await Http.SendAsync(request);
    }

    /// <summary>A Teams-shaped 1:1 message from a user to the bot.</summary>
    public Activity CreateMessage(string serviceUrl, string text, string? id = null, string conversationId = "a:1-personal-chat") => new()
    {
        Type = ActivityTypes.Message,
        Id = id ?? Guid.NewGuid().ToString("N"),
        Timestamp = DateTimeOffset.UtcNow,
        ServiceUrl = serviceUrl,
        ChannelId = Channels.Msteams,
        From = new ChannelAccount { Id = "29:1-user", Name = "Megan Bowen", AadObjectId = "00000000-0000-0000-0000-0000000000aa" },
        Recipient = new ChannelAccount { Id = $"28:{AppId}", Name = "PastDueBot" },
        Conversation = new ConversationAccount { Id = conversationId, ConversationType = ConversationTypes.Personal, TenantId = "11111111-2222-3333-4444-555555555555" },
        Text = text,
        Locale = "en-US",
        ChannelData = JsonSerializer.SerializeToElement(new { tenant = new { id = "11111111-2222-3333-4444-555555555555" } }),
    };

    private IResult Metadata()
    {
        Interlocked.Increment(ref _metadataRequests);
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = new Uri(BaseAddress, "/v1/.well-known/authorize").ToString(),
            ["jwks_uri"] = new Uri(BaseAddress, KeysPath).ToString(),
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        });
    }

    private IResult Keys()
    {
        Interlocked.Increment(ref _keysRequests);
        lock (_published) return Results.Json(new { keys = _published.Select(k => k.ToJwk()).ToArray() });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        foreach (var key in _published) key.Dispose();
    }
}
