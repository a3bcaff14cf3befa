namespace PastDueBot.Storage.Leases;

/// <summary>
/// "Exactly one instance does this now": a named lease with an expiry in the shared database. The holder renews it
/// before it runs out; when the holder dies, another instance takes over once it has expired.
/// </summary>
public interface ILeaderLease
{
    /// <summary>Takes or renews <paramref name="name"/> for <paramref name="holder"/>; true when the caller holds it now.</summary>
    Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up early (graceful shutdown) so another instance need not wait for the expiry.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default);
}
