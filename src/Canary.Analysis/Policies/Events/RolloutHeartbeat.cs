namespace Canary.Analysis.Policies.Events;

/// <summary>
/// The rollout is still running a long step (a soak, a pause) with nothing else to report: published at most once per
/// <see cref="CanaryRollout.HeartbeatInterval"/> without any other event.
/// </summary>
public sealed class RolloutHeartbeat : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision of the tick.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public RolloutHeartbeat(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.Heartbeat;

    /// <summary>Gets how long the current step has run.</summary>
    public TimeSpan InStepFor => Decision.At - Decision.State.StepStartedAt;

    /// <summary>Gets the longest time still needed among the running checks that estimate it, or null (<see cref="RolloutEvents.TimeNeeded"/>).</summary>
    public TimeSpan? TimeNeeded => RolloutEvents.TimeNeeded(Decision);
}
