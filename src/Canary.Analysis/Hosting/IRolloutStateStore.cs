using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting;

/// <summary>
/// Where a host keeps its rollouts' states between ticks and across restarts, with optimistic concurrency: every save names
/// the version it replaces, so two hosts (or a host and a human) never overwrite each other's decision unseen. A controller
/// plugs in its custom resource's status; <see cref="DirectoryRolloutStateStore"/> keeps files.
/// </summary>
public interface IRolloutStateStore
{
    /// <summary>Reads a rollout's saved state.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state and its version, or null when none is saved.</returns>
    /// <exception cref="FormatException">What is saved is not a rollout state (the message names where).</exception>
    Task<StoredRolloutState?> LoadAsync(string rollout, CancellationToken cancellationToken = default);

    /// <summary>Saves a rollout's state in place of the version it was read at.</summary>
    /// <param name="rollout">The rollout's id.</param>
    /// <param name="state">The state.</param>
    /// <param name="expectedVersion">The version it replaces (from <see cref="LoadAsync"/> or the last save), or null for a rollout with no saved state.</param>
    /// <param name="cancellationToken">Cancels the save (before it is committed).</param>
    /// <returns>The saved state and its new version.</returns>
    /// <exception cref="RolloutStateConflictException">The saved version is not <paramref name="expectedVersion"/>: someone else saved in between; nothing was written.</exception>
    Task<StoredRolloutState> SaveAsync(string rollout, RolloutState state, string? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lists the rollouts with a saved state.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>Their ids, in ordinal order.</returns>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
