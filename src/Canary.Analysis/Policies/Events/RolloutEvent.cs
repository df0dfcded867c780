namespace Canary.Analysis.Policies.Events;

/// <summary>
/// Something that happened to a rollout, as data: derived from the state before a decision and the decision itself
/// (<see cref="RolloutEvents.Between"/>) and published by <see cref="CanaryRollout"/> to its subscribers (loggers, status
/// metrics, notifications). Every event carries the <see cref="RolloutDecision"/> that produced it, so a subscriber reads
/// the numbers, never the text.
/// </summary>
public abstract class RolloutEvent
{
    /// <summary>Creates an event of a decision.</summary>
    /// <param name="decision">The decision that produced it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    private protected RolloutEvent(RolloutDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Decision = decision;
    }

    /// <summary>Gets what the event reports (one value per event type, for a <c>switch</c> or a label).</summary>
    public abstract RolloutEventKind Kind { get; }

    /// <summary>Gets the rollout's name: its policy's (<see cref="RolloutState.Policy"/>).</summary>
    public string Rollout => Decision.State.Policy;

    /// <summary>Gets when it happened: the decision's time.</summary>
    public DateTimeOffset At => Decision.At;

    /// <summary>Gets the decision that produced the event (its action, cause, step, weights, analyses and state).</summary>
    public RolloutDecision Decision { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Rollout} at {At:O}: {Decision.Reason}";
}
