using Azure.Core;
using PastDueBot.Host.Directory;

namespace PastDueBot.Tests.DirectoryAdapters;

/// <summary>Concurrent callers share one Graph token request; nothing else about Azure.Identity's behaviour changes.</summary>
public sealed class CoalescingTokenCredentialTests
{
    private static readonly TokenRequestContext Graph = new(["https://graph.microsoft.com/.default"], isCaeEnabled: true);

    [Fact]
    public async Task Concurrent_callers_share_one_request_and_a_later_caller_asks_again()
    {
        var inner = new GatedCredential();
        var credential = new CoalescingTokenCredential(inner);

        var callers = Enumerable.Range(0, 20).Select(_ => credential.GetTokenAsync(Graph, CancellationToken.None).AsTask()).ToList();
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        inner.Release.SetResult(new AccessToken("token-1", DateTimeOffset.UtcNow.AddHours(1)));
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, inner.Calls);
        Assert.All(tokens, t => Assert.Equal("token-1", t.Token));

        inner.Reset(new AccessToken("token-2", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal("token-2", (await credential.GetTokenAsync(Graph, CancellationToken.None)).Token);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_failure_reaches_every_waiter_and_is_not_kept()
    {
        var inner = new GatedCredential();
        var credential = new CoalescingTokenCredential(inner);

        var callers = Enumerable.Range(0, 5).Select(_ => credential.GetTokenAsync(Graph, CancellationToken.None).AsTask()).ToList();
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        inner.Release.SetException(new InvalidOperationException("AADSTS7000215: Invalid client secret provided."));

        foreach (var caller in callers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => caller);
            Assert.Contains("AADSTS7000215", error.Message);
        }
        inner.Reset(new AccessToken("token-2", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal("token-2", (await credential.GetTokenAsync(Graph, CancellationToken.None)).Token);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_caller_that_cancels_stops_waiting_and_the_others_still_get_the_token()
    {
        var inner = new GatedCredential();
        var credential = new CoalescingTokenCredential(inner);
        using var cancel = new CancellationTokenSource();

        var leaving = credential.GetTokenAsync(Graph, cancel.Token).AsTask();
        var staying = credential.GetTokenAsync(Graph, CancellationToken.None).AsTask();
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.False(inner.CancellationSeen);
        inner.Release.SetResult(new AccessToken("token-1", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal("token-1", (await staying.WaitAsync(TimeSpan.FromSeconds(10))).Token);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task A_claims_challenge_and_another_scope_are_not_shared()
    {
        var inner = new GatedCredential();
        var credential = new CoalescingTokenCredential(inner);

        var plain = credential.GetTokenAsync(Graph, CancellationToken.None).AsTask();
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var challenged = credential.GetTokenAsync(new TokenRequestContext(Graph.Scopes, claims: """{"access_token":{"nbf":{"essential":true}}}""", isCaeEnabled: true), CancellationToken.None).AsTask();
        var otherScope = credential.GetTokenAsync(new TokenRequestContext(["https://graph.microsoft.us/.default"], isCaeEnabled: true), CancellationToken.None).AsTask();
        inner.Release.SetResult(new AccessToken("token-1", DateTimeOffset.UtcNow.AddHours(1)));

        await Task.WhenAll(plain, challenged, otherScope).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, inner.Calls);
    }

    /// <summary>An Azure.Identity credential whose answer the test releases; counts the requests it gets.</summary>
    private sealed class GatedCredential : TokenCredential
    {
        private int _calls;

        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<AccessToken> Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public bool CancellationSeen { get; private set; }

        public void Reset(AccessToken next)
        {
            Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Release.SetResult(next);
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The Graph SDK asks asynchronously.");

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            cancellationToken.Register(() => CancellationSeen = true);
            var release = Release;
            Started.TrySetResult();
            return await release.Task.ConfigureAwait(false);
        }
    }
}
