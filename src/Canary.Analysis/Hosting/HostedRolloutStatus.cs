using Canary.Analysis.Policies;

namespace Canary.Analysis.Hosting;

/// <summary>A rollout as a <see cref="RolloutHost"/> runs it, at one moment.</summary>
/// <param name="Rollout">The rollout's id.</param>
/// <param name="Health">How it fares.</param>
/// <param name="Reason">Why it is not <see cref="HostedRolloutHealth.Running"/> (the error, the refusal, the lease's owner), or null.</param>
/// <param name="LastDecision">The host's last decision on it, or null before the first.</param>
/// <param name="NextAttemptAt">When the host next looks at it.</param>
/// <param name="ConsecutiveFailures">Failures in a row (provider errors in measurements, failed ticks or store accesses).</param>
public sealed record HostedRolloutStatus(
    string Rollout,
    HostedRolloutHealth Health,
    string? Reason,
    RolloutDecision? LastDecision,
    DateTimeOffset NextAttemptAt,
    int ConsecutiveFailures);
