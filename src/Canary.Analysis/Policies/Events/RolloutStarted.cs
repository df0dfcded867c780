namespace Canary.Analysis.Policies.Events;

/// <summary>A rollout made its first decision (never again after <see cref="CanaryRollout.Resume"/>, nor after a retry).</summary>
public sealed class RolloutStarted : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The rollout's first decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public RolloutStarted(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.Started;

    /// <summary>Gets when the rollout started.</summary>
    public DateTimeOffset StartedAt => Decision.State.StartedAt;
}
