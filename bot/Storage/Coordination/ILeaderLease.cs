namespace PastDueBot.Storage.Coordination;

/// <summary>
/// A named lease in the database that at most one holder has at a time, for work that must run on exactly one
/// instance (the alert scanner). The holder renews well inside the TTL; when it stops (crash, SIGKILL, lost
/// network) another instance takes over once the lease has expired, so takeover is bounded by the TTL plus the
/// contender's polling interval. Expiry is judged on each caller's <see cref="TimeProvider"/>: keep the TTL far
/// above the clock skew between machines.
/// </summary>
public interface ILeaderLease
{
    /// <summary>
    /// Takes the lease if it is free or expired, or renews it if <paramref name="holder"/> already has it.
    /// Null when someone else holds it.
    /// </summary>
    Task<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up at once (a clean shutdown), so the next contender need not wait for expiry.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>Who holds the lease now, or null when it is free or expired.</summary>
    Task<LeaseGrant?> GetHolderAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// A held lease. <paramref name="Generation"/> grows by one at every change of holder (never on renewal): a fencing
/// token, so work can be stamped with it and a stale leader's late writes told apart.
/// </summary>
public sealed record LeaseGrant(string Name, string Holder, DateTimeOffset ExpiresAt, long Generation);
