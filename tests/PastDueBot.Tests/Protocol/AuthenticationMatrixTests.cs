using System.Net;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using PastDueBot.Protocol.Schema;
using PastDueBot.Tests.Infrastructure;

namespace PastDueBot.Tests.Protocol;

/// <summary>Every way a channel token can be wrong answers 401 with an empty body, and the bot never runs.</summary>
public sealed class AuthenticationMatrixTests : IAsyncLifetime
{
    private BotTestEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await BotTestEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    /// <summary>Case name → a fragment of the logged reason, proving each case fails for its own reason.</summary>
    public static TheoryData<string, string> BadCases => new()
    {
        { "missing header", "No Authorization header" },
        { "wrong scheme", "not 'Bearer <token>'" },
        { "lower-case scheme", "not 'Bearer <token>'" },
        { "three parts", "not 'Bearer <token>'" },
        { "empty token", "not 'Bearer <token>'" },
        { "garbage", "not a readable JWT" },
        { "bad signature", "InvalidSignature" },
        { "signed by another key under a published kid", "InvalidSignature" },
        { "unknown key", "unknown key" },
        { "no kid", "no key id" },
        { "wrong issuer", "issuer is not allowed" },
        { "no issuer", "issuer is not allowed" },
        { "wrong audience", "audience" },
        { "token for another app", "audience" },
        { "no audience", "audience" },
        { "expired", "Expired" },
        { "not yet valid", "NotYetValid" },
        { "no expiry", "NoExpiration" },
        { "missing serviceurl", "no serviceurl" },
        { "mismatched serviceurl", "does not match" },
        { "channel not endorsed", "not endorsed" },
        { "key without endorsements", "no endorsements" },
        { "alg none", "Token is not valid" },
        { "HS256 signed with the public key", "Token is not valid" },
        { "unsupported alg PS256-labelled", "Token is not valid" },
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public async Task Bad_token_is_401_and_never_reaches_the_bot(string badCase, string reason)
    {
        var activity = _env.Message("hello");
        var header = BadHeader(badCase, activity);

        using var response = await _env.Channel.PostAsync(_env.Host.MessagesEndpoint, Json(activity), header);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Empty(_env.Bot.Turns);
        Assert.Empty(_env.Connector.Requests);
        Assert.Contains(_env.Host.Logs.Records, r => r.Message.StartsWith("Rejected channel request with 401", StringComparison.Ordinal) && r.Message.Contains(reason, StringComparison.Ordinal));
    }

    public static TheoryData<string> GoodCases => new()
    {
        "RS256", "RS384", "RS512", "expired within the 5 minute skew", "not yet valid within the skew", "serviceurl differs only in case", "rotated key",
    };

    [Theory]
    [MemberData(nameof(GoodCases))]
    public async Task Valid_token_runs_the_bot(string goodCase)
    {
        var activity = _env.Message("hello");
        var token = goodCase switch
        {
            "RS256" => _env.Token(),
            "RS384" => _env.Token(t => t.Algorithm = "RS384"),
            "RS512" => _env.Token(t => t.Algorithm = "RS512"),
            "expired within the 5 minute skew" => _env.Token(t => { t.NotBefore = DateTimeOffset.UtcNow.AddHours(-1); t.Expires = DateTimeOffset.UtcNow.AddMinutes(-3); }),
            "not yet valid within the skew" => _env.Token(t => t.NotBefore = DateTimeOffset.UtcNow.AddMinutes(3)),
            "serviceurl differs only in case" => _env.Token(t => t.ServiceUrl = _env.ServiceUrl.ToUpperInvariant().Replace("HTTP://", "http://", StringComparison.Ordinal)),
            "rotated key" => RotatedKeyToken(),
            _ => throw new ArgumentOutOfRangeException(nameof(goodCase)),
        };

        using var response = await _env.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_env.Bot.Turns);
    }

    [Fact]
    public async Task Logs_hold_no_token_and_name_the_reason()
    {
        var token = _env.Token(t => t.Audience = Guid.NewGuid().ToString());
        using var rejected = await _env.PostAsync(_env.Message("hi"), token);
        var good = _env.Token();
        using var accepted = await _env.PostAsync(_env.Message("hi"), good);

        var logs = _env.Host.Logs.AllText;
        Assert.DoesNotContain(token.Split('.')[1], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(good.Split('.')[1], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal);
        Assert.Contains("audience", logs, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_env.Host.Logs.Records, r => r.Scopes.Any(s => s.StartsWith("ConversationId=a:1-personal-chat", StringComparison.Ordinal)));
    }

    private string RotatedKeyToken()
    {
        _env.Channel.RotateKey("rotated-key", Channels.Msteams);
        return _env.Token();
    }

    private string? BadHeader(string badCase, Activity activity)
    {
        var env = _env;
        string Bearer(Action<TokenSpec>? configure = null) => $"Bearer {env.Token(configure)}";
        var now = DateTimeOffset.UtcNow;
        switch (badCase)
        {
            case "missing header": return null;
            case "wrong scheme": return $"Basic {env.Token()}";
            case "lower-case scheme": return $"bearer {env.Token()}";
            case "three parts": return $"Bearer {env.Token()} extra";
            case "empty token": return "Bearer ";
            case "garbage": return "Bearer not.a.jwt-at-all";
            case "bad signature":
            {
                var parts = env.Token().Split('.');
                var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
                signature[10] ^= 0xFF;
                return $"Bearer {parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
            }
            case "signed by another key under a published kid":
            {
                using var other = new TestSigningKey(env.Channel.CurrentKey.Kid, [Channels.Msteams]);
                return Bearer(t => t.SigningKey = other);
            }
            case "unknown key":
            {
                using var unpublished = new TestSigningKey("never-published", [Channels.Msteams]);
                return Bearer(t => t.SigningKey = unpublished);
            }
            case "no kid": return Bearer(t => t.Kid = "");
            case "wrong issuer": return Bearer(t => t.Issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/");
            case "no issuer": return Bearer(t => t.Issuer = null);
            case "wrong audience": return Bearer(t => t.Audience = "https://api.botframework.com");
            case "token for another app": return Bearer(t => t.Audience = Guid.NewGuid().ToString());
            case "no audience": return Bearer(t => t.Audience = null);
            case "expired": return Bearer(t => { t.NotBefore = now.AddHours(-2); t.Expires = now.AddMinutes(-6); });
            case "not yet valid": return Bearer(t => { t.NotBefore = now.AddMinutes(6); t.Expires = now.AddHours(1); });
            case "no expiry": return Bearer(t => t.Expires = null);
            case "missing serviceurl": return Bearer(t => t.ServiceUrl = null);
            case "mismatched serviceurl": return Bearer(t => t.ServiceUrl = "https://smba.trafficmanager.net/teams/");
            case "channel not endorsed":
            {
                var webchatOnly = env.Channel.PublishKey("webchat-only", ["webchat"]);
                return Bearer(t => t.SigningKey = webchatOnly);
            }
            case "key without endorsements":
            {
                var bare = env.Channel.PublishKey("no-endorsements", null);
                return Bearer(t => t.SigningKey = bare);
            }
            case "alg none": return Bearer(t => t.Algorithm = "none");
            case "HS256 signed with the public key":
            {
                var publicKey = env.Channel.CurrentKey.Rsa.ExportSubjectPublicKeyInfoPem();
                return Bearer(t => { t.Algorithm = "HS256"; t.HmacKey = Encoding.ASCII.GetBytes(publicKey); });
            }
            case "unsupported alg PS256-labelled":
            {
                // An RS256 signature relabelled PS256: the algorithm is outside RS256/384/512 and must be refused.
                var parts = env.Token().Split('.');
                var header = Base64UrlEncoder.Encode($"{{\"alg\":\"PS256\",\"typ\":\"JWT\",\"kid\":\"{env.Channel.CurrentKey.Kid}\"}}");
                return $"Bearer {header}.{parts[1]}.{parts[2]}";
            }
            default: throw new ArgumentOutOfRangeException(nameof(badCase), badCase);
        }
    }

    private static string Json(Activity activity) => System.Text.Json.JsonSerializer.Serialize(activity, ProtocolJson.Context.Activity);
}
