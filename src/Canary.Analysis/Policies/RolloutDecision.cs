using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies;

/// <summary>
/// What to do now, as data: the action, its typed cause, the step that decided, the deciding analyses (those of a step
/// that just completed included), the human commands, the requested and effective weights, and when the next
/// measurement is due. <see cref="Reason"/> is one view of it (<see cref="RolloutDecisionFormatter"/>); nothing needs to
/// read the text to know what happened.
/// </summary>
public sealed class RolloutDecision
{
    private RolloutState _state = null!;

    /// <summary>Gets what to do.</summary>
    public required RolloutAction Action { get; init; }

    /// <summary>Gets why.</summary>
    public required DecisionCause Cause { get; init; }

    /// <summary>Gets the rollout's state after this decision (save it).</summary>
    public required RolloutState State { get => _state; init => _state = value; }

    /// <summary>Gets when the decision was made.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>
    /// Gets the index of the step that decided: the step that just completed for <see cref="RolloutAction.Advance"/> (and a
    /// promotion by the last step), the current step otherwise, the step a human command was given at.
    /// </summary>
    public int StepIndex { get; init; }

    /// <summary>Gets the step that decided, or null when the decision concerns no step (a promoted rollout's).</summary>
    public CanaryStep? Step { get; init; }

    /// <summary>Gets the canary weight while the deciding step ran, in percent (before a rollback or promotion changes it).</summary>
    public int StepWeight { get; init; }

    /// <summary>Gets the canary weight to run with, in percent, as requested (0 after a rollback, 100 after promotion).</summary>
    public int Weight { get; init; }

    /// <summary>
    /// Gets the canary's real share of traffic at <see cref="Weight"/>, in percent: <see cref="ReplicaSplit.EffectiveWeight"/>
    /// when the policy has a replica count (<see cref="CanaryPolicy.Replicas"/>), else the requested weight.
    /// </summary>
    public double EffectiveWeight => Split?.EffectiveWeight ?? Weight;

    /// <summary>Gets the pod counts at <see cref="Weight"/> when the policy has a replica count, else null.</summary>
    public ReplicaSplit? Split { get; init; }

    /// <summary>Gets the deciding step's analysis (of the step that just completed, for an advance), or null.</summary>
    public AnalysisRunState? StepAnalysis { get; init; }

    /// <summary>Gets the background analysis, or null when none runs.</summary>
    public AnalysisRunState? BackgroundAnalysis { get; init; }

    /// <summary>Gets the metrics behind the decision (the step's, then the background's), with their measurements and evidence.</summary>
    public IReadOnlyList<MetricRunStatus> Analyses { get; init; } = [];

    /// <summary>Gets the human command this decision follows from, or null.</summary>
    public ManualOverride? Command { get; init; }

    /// <summary>
    /// Gets when the rollout should be ticked next: now after an advance or a command, when the next measurement or the
    /// end of a timed pause is due while continuing, null when it waits for a human or has finished.
    /// </summary>
    public DateTimeOffset? NextTickAt { get; init; }

    /// <summary>Gets the human commands recorded so far.</summary>
    public IReadOnlyList<ManualOverride> Overrides => State.Overrides;

    /// <summary>Gets a one-line reason (<see cref="RolloutDecisionFormatter.Format"/>); it names a skip of analysis whenever analysis is skipped.</summary>
    /// <remarks>Formatted on each read: a decision nobody reads costs no text.</remarks>
    public string Reason => RolloutDecisionFormatter.Format(this);

    /// <summary>Replaces the state with the one that records this decision's message, before the decision is handed out.</summary>
    /// <param name="state">The state after the decision.</param>
    internal void Recorded(RolloutState state) => _state = state;

    /// <inheritdoc />
    public override string ToString() => $"{Action} (weight {Weight} %): {Reason}";
}
