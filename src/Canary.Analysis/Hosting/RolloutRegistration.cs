using Canary.Analysis.Traffic;

namespace Canary.Analysis.Hosting;

/// <summary>A rollout a <see cref="RolloutHost"/> runs: its id, its policy's name, and where its checks read traffic.</summary>
/// <param name="Rollout">The rollout's id (its key in the state store).</param>
/// <param name="Policy">The policy's name in the <see cref="Configuration.PolicyCatalog"/>.</param>
/// <param name="Source">Where its checks read traffic; null for the host's default (see <see cref="RolloutHost"/>).</param>
/// <param name="Namespace">Its namespace label (metrics, notifications); null for <see cref="RolloutHostOptions.Namespace"/>.</param>
public sealed record RolloutRegistration(string Rollout, string Policy, ITrafficSource? Source = null, string? Namespace = null);
