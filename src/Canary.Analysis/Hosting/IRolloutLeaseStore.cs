namespace Canary.Analysis.Hosting;

/// <summary>
/// Leases on rollouts, kept beside their states, so that several hosts sharing one store give each rollout one owner at a
/// time: a host ticks a rollout only while it holds the rollout's lease, renews it well before it expires, and another host
/// takes the rollout over once the lease has expired (its owner stopped, crashed or lost the store).
/// </summary>
/// <remarks>
/// A lease is a promise kept by the hosts, not a lock the store enforces on saves: the states' optimistic concurrency
/// (<see cref="IRolloutStateStore.SaveAsync"/>) still guarantees that no decision overwrites another unseen, should two hosts
/// ever disagree about time. Expiry is judged by the store's clock.
/// </remarks>
public interface IRolloutLeaseStore
{
    /// <summary>Takes a rollout's lease, or renews it, unless another owner holds a lease that has not expired.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="owner">Who asks (a host instance's id).</param>
    /// <param name="duration">How long the lease lasts from now.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>
    /// The lease in force afterwards: <paramref name="owner"/>'s, expiring <paramref name="duration"/> from now, when it was
    /// taken or renewed; otherwise the holder's, unchanged (its <see cref="RolloutLease.ExpiresAt"/> says when to ask again).
    /// </returns>
    /// <exception cref="ArgumentException">An argument is empty, or <paramref name="duration"/> is not positive.</exception>
    Task<RolloutLease> AcquireAsync(string rollout, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives a rollout's lease up, so another host may take it at once; does nothing unless <paramref name="owner"/> holds it.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="owner">Who gives it up.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the lease is released (or was not <paramref name="owner"/>'s).</returns>
    Task ReleaseAsync(string rollout, string owner, CancellationToken cancellationToken = default);
}
