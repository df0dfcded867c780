namespace Canary.Analysis.Hosting;

/// <summary>Who owns a rollout, and until when (<see cref="IRolloutLeaseStore"/>).</summary>
/// <param name="Rollout">The rollout's id.</param>
/// <param name="Owner">The owner (a host instance's id).</param>
/// <param name="ExpiresAt">When the lease expires unless renewed; from then on another owner may take it.</param>
public sealed record RolloutLease(string Rollout, string Owner, DateTimeOffset ExpiresAt);
