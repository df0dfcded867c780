using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting;

/// <summary>A rollout's state as a store keeps it: the state and the version to name when replacing it.</summary>
/// <param name="Rollout">The rollout's id.</param>
/// <param name="State">The state.</param>
/// <param name="Version">An opaque version: pass it to <see cref="IRolloutStateStore.SaveAsync"/> to replace this state.</param>
public sealed record StoredRolloutState(string Rollout, RolloutState State, string Version);
