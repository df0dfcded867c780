using Canary.Analysis.Policies;

namespace Canary.Analysis.Simulation;

/// <summary>
/// How a simulated controller restarts during <see cref="Simulator.RunRolloutAsync(CanaryRollout, SimulatedTrafficSource, TimeSpan, TimeSpan, TickJitter?, RolloutRestarts, CancellationToken)"/>:
/// every <see cref="Every"/> (optionally at jittered times) the rollout's state goes through <see cref="RolloutState.ToJson"/>
/// and <see cref="RolloutState.FromJson"/>, <see cref="PolicyFactory"/> builds a new policy with new check objects, and
/// <see cref="CanaryRollout.Resume"/> continues — exactly what a controller that is redeployed, evicted or crashes does.
/// </summary>
/// <remarks>
/// A restart happens just before the first tick at or after its time. The canary's share of the simulated traffic is left
/// as it was (the rollout's weight did not change). Checks that implement <see cref="Analysis.IResumableCheck"/> get their
/// evidence back from the saved state, so the restarted rollout continues the same sequential test; set
/// <see cref="CarryCheckEvidence"/> to false to model a controller that saves only the rollout's own progress (every restart
/// then starts the checks' tests afresh, each with a fresh α).
/// </remarks>
public sealed class RolloutRestarts
{
    /// <summary>Creates restarts.</summary>
    /// <param name="every">The time between restarts; positive.</param>
    /// <param name="policyFactory">Builds the policy (with new check objects) a restarted controller resumes with, given the simulated source its checks read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policyFactory"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is not positive.</exception>
    public RolloutRestarts(TimeSpan every, Func<SimulatedTrafficSource, CanaryPolicy> policyFactory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(policyFactory);
        Every = every;
        PolicyFactory = policyFactory;
    }

    /// <summary>Gets the time between restarts: the k-th restart is due at the rollout's start + k × <see cref="Every"/>.</summary>
    public TimeSpan Every { get; }

    /// <summary>Gets what builds the policy a restarted controller resumes with (new check objects reading the given source).</summary>
    public Func<SimulatedTrafficSource, CanaryPolicy> PolicyFactory { get; }

    /// <summary>Gets a seeded delay added to each restart's due time (restarts at random moments, not on the look grid), or null for none.</summary>
    /// <value>The default value is null: restarts are due exactly every <see cref="Every"/>.</value>
    public TickJitter? Jitter { get; init; }

    /// <summary>Gets whether the checks' saved evidence travels through the restart (format v2).</summary>
    /// <value>
    /// The default value is true. False clears every metric's saved check evidence (null) in the state before resuming: the
    /// behaviour of a controller that keeps only the rollout's progress, where each restart starts a new sequential test.
    /// </value>
    public bool CarryCheckEvidence { get; init; } = true;

    /// <summary>Gets when the <paramref name="restart"/>-th restart (1 for the first) is due, after the rollout's start.</summary>
    /// <param name="restart">The restart's number, from 1.</param>
    /// <returns><c>restart × Every</c>, plus the jitter's delay for it when there is one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restart"/> is less than 1.</exception>
    public TimeSpan DueAfter(long restart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(restart, 1);
        return TimeSpan.FromTicks(Every.Ticks * restart) + (Jitter?.DelayOf(restart) ?? TimeSpan.Zero);
    }
}
