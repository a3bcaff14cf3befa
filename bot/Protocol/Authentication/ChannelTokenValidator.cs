using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Authentication;

/// <summary>
/// Authenticates a request from the channel to the bot exactly as the SDK's JwtTokenExtractor + ChannelValidation
/// do (teams-bot-facts §1): Bearer scheme, allowed issuer, RS256/384/512 signature by a published key, lifetime with
/// 5 minutes of skew, the key endorsed for the activity's channel, <c>aud</c> = app id, <c>serviceurl</c> = activity.serviceUrl.
/// Emulator and skill tokens (Entra-issued) are deliberately not accepted: PastDueBot only talks to Teams.
/// Every failure is a <see cref="ChannelAuthenticationException"/>. A token that passed is not verified again while it
/// lives and the keys stay the same (<see cref="CheckedTokenCache"/>); the checks against the request run every time.
/// </summary>
public sealed class ChannelTokenValidator(
    IOptions<BotFrameworkOptions> options,
    ChannelSigningKeys signingKeys,
    ILogger<ChannelTokenValidator> logger)
{
    public const string AnonymousAuthenticationType = "anonymous";
    public const string AudienceClaim = "aud";
    public const string ServiceUrlClaim = "serviceurl";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly JsonWebTokenHandler _handler = new();
    // IdentityModel checks lifetimes against the system clock; the cache must agree with it.
    private readonly CheckedTokenCache _checkedTokens = new(TimeProvider.System);

    /// <summary>The caller's identity, or an anonymous one when no app id is configured and no header was sent.</summary>
    public async Task<ClaimsIdentity> AuthenticateRequestAsync(Activity activity, string? authorizationHeader, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            if (settings.IsAuthenticationDisabled) return new ClaimsIdentity(AnonymousAuthenticationType);
            throw new ChannelAuthenticationException("No Authorization header.");
        }

        // A header that is present is validated even in anonymous mode; with no app id its audience can never match.
        var tokenStart = BearerTokenStart(authorizationHeader);
        if (!_checkedTokens.TryGet(authorizationHeader.AsSpan(tokenStart), out var checkedToken)
            || !await IsCurrentAsync(checkedToken.Signing, cancellationToken).ConfigureAwait(false))
        {
            var token = authorizationHeader[tokenStart..];
            checkedToken = await CheckTokenAsync(token, settings, cancellationToken).ConfigureAwait(false);
            _checkedTokens.Add(token, checkedToken);
        }

        CheckEndorsement(checkedToken.Signing, checkedToken.KeyId, activity.ChannelId);
        if (!string.IsNullOrWhiteSpace(activity.ServiceUrl) && !string.Equals(checkedToken.ServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            throw new ChannelAuthenticationException("Token serviceurl does not match the activity's serviceUrl.");

        return checkedToken.Identity;
    }

    /// <summary>Everything that depends only on the token: issuer, key, signature, lifetime, audience, a serviceurl claim.</summary>
    private async Task<CheckedToken> CheckTokenAsync(string token, BotFrameworkOptions settings, CancellationToken cancellationToken)
    {
        var jwt = Read(token);

        if (!string.Equals(jwt.Issuer, settings.TokenIssuer, StringComparison.Ordinal))
            throw new ChannelAuthenticationException("Token issuer is not allowed.");
        if (string.IsNullOrEmpty(jwt.Kid))
            throw new ChannelAuthenticationException("Token has no key id.");

        var signing = await GetConfigurationWithKeyAsync(jwt.Kid, cancellationToken).ConfigureAwait(false);

        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = [settings.TokenIssuer],
            ValidateAudience = false, // checked below against the app id, as the SDK does
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            ValidAlgorithms = AllowedAlgorithms,
            IssuerSigningKeys = signing.OpenIdConfiguration.SigningKeys,
            TryAllIssuerSigningKeys = false,
        };

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ChannelAuthenticationException("Token could not be validated.", ex);
        }

        if (!result.IsValid || result.ClaimsIdentity is not { IsAuthenticated: true } identity)
        {
            throw new ChannelAuthenticationException($"Token is not valid ({result.Exception?.GetType().Name ?? "unknown"}).", result.Exception);
        }

        var audience = identity.FindFirst(AudienceClaim)?.Value;
        if (string.IsNullOrWhiteSpace(audience) || !string.Equals(audience, settings.MicrosoftAppId, StringComparison.Ordinal))
            throw new ChannelAuthenticationException("Token audience is not this bot's app id.");

        var serviceUrl = identity.FindFirst(ServiceUrlClaim)?.Value;
        if (string.IsNullOrWhiteSpace(serviceUrl))
            throw new ChannelAuthenticationException("Token has no serviceurl claim.");

        // JsonWebToken gives DateTime.MinValue for a missing nbf: valid from any time.
        var validFrom = jwt.ValidFrom == DateTime.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero) - ClockSkew;
        var validTo = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + ClockSkew;
        return new CheckedToken(identity, jwt.Kid, serviceUrl, signing, validFrom, validTo);
    }

    /// <summary>Whether <paramref name="signing"/> is still the channel's current metadata (a refetch replaces it).</summary>
    private async Task<bool> IsCurrentAsync(ChannelSigningConfiguration signing, CancellationToken cancellationToken)
        => ReferenceEquals(signing, await GetConfigurationAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>SDK rule: exactly "Bearer &lt;token&gt;", the scheme spelled exactly so, one space. Where the token starts.</summary>
    private static int BearerTokenStart(string header)
    {
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.Ordinal) || header.Length == Scheme.Length || header.IndexOf(' ', Scheme.Length) >= 0)
            throw new ChannelAuthenticationException("Authorization header is not 'Bearer <token>'.");
        return Scheme.Length;
    }

    private JsonWebToken Read(string token)
    {
        try
        {
            if (_handler.CanReadToken(token)) return _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            throw new ChannelAuthenticationException("Token is not a readable JWT.", ex);
        }
        throw new ChannelAuthenticationException("Token is not a readable JWT.");
    }

    /// <summary>The metadata that knows <paramref name="kid"/>, refetching once (rate-limited) when the key is new.</summary>
    private async Task<ChannelSigningConfiguration> GetConfigurationWithKeyAsync(string kid, CancellationToken cancellationToken)
    {
        var signing = await GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (HasKey(signing, kid)) return signing;

        signingKeys.RequestRefresh();
        signing = await GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (HasKey(signing, kid)) return signing;
        throw new ChannelAuthenticationException("Token is signed with an unknown key.");
    }

    private async Task<ChannelSigningConfiguration> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await signingKeys.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Without the channel's keys nothing can be trusted: this is a 401, and an operational error to look at.
            logger.LogError("Channel signing keys could not be loaded: {ErrorType}", ex.GetType().Name);
            throw new ChannelAuthenticationException("Channel signing keys are unavailable.", ex);
        }
    }

    private static bool HasKey(ChannelSigningConfiguration signing, string kid)
        => signing.OpenIdConfiguration.SigningKeys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    /// <summary>SDK EndorsementsValidator: the key must be endorsed; an empty channelId passes.</summary>
    private static void CheckEndorsement(ChannelSigningConfiguration signing, string kid, string? channelId)
    {
        if (!signing.Endorsements.TryGetValue(kid, out var endorsements))
            throw new ChannelAuthenticationException("Signing key has no endorsements.");
        if (!string.IsNullOrEmpty(channelId) && !endorsements.Contains(channelId))
            throw new ChannelAuthenticationException("Signing key is not endorsed for the activity's channel.");
    }
}
