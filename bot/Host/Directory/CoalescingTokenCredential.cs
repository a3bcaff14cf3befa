using Azure.Core;

namespace PastDueBot.Host.Directory;

/// <summary>
/// Lets concurrent callers that need the same Graph token share one request. Azure.Identity asks Entra ID once per
/// caller until its cache holds a token, so a burst of first turns after a start sent one token request each (33 for
/// 32 admins in the load test). Only requests in flight are shared: a later caller goes through to Azure.Identity,
/// whose cache answers and renews. A request carrying a claims challenge (continuous access evaluation) is never shared.
/// A failure reaches every caller waiting on it and is not kept; a caller that cancels stops waiting, the request goes on.
/// </summary>
public sealed class CoalescingTokenCredential(TokenCredential inner) : TokenCredential
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<AccessToken>> _inFlight = new(StringComparer.Ordinal);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        inner.GetToken(requestContext, cancellationToken);

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (requestContext.Claims is not null)
        {
            return await inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
        }

        var key = string.Join(' ', requestContext.Scopes) + "|" + requestContext.TenantId + "|" + requestContext.IsCaeEnabled;
        TaskCompletionSource<AccessToken>? mine = null;
        Task<AccessToken> shared;
        lock (_gate)
        {
            if (!_inFlight.TryGetValue(key, out shared!))
            {
                mine = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                shared = mine.Task;
                _inFlight[key] = shared;
            }
        }

        // Started outside the lock: Azure.Identity may answer from its cache without yielding.
        if (mine is not null) _ = FetchAsync(requestContext, key, mine);
        return await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FetchAsync(TokenRequestContext requestContext, string key, TaskCompletionSource<AccessToken> result)
    {
        try
        {
            result.SetResult(await inner.GetTokenAsync(requestContext, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            result.SetException(ex); // every waiter sees it; the next caller asks again
        }
        finally
        {
            lock (_gate) _inFlight.Remove(key);
        }
    }
}
