using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies;

/// <summary>What to do now, why, and the evidence behind it.</summary>
public sealed class RolloutDecision
{
    /// <summary>Creates a decision.</summary>
    /// <param name="action">What to do.</param>
    /// <param name="weight">The canary weight to run with, in percent.</param>
    /// <param name="reason">A one-line reason.</param>
    /// <param name="state">The rollout's state after this decision (save it).</param>
    /// <param name="analyses">The metrics behind the decision (current step and background), empty when none.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public RolloutDecision(RolloutAction action, int weight, string reason, RolloutState state, IReadOnlyList<MetricRunStatus> analyses)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(analyses);
        Action = action;
        Weight = weight;
        Reason = reason;
        State = state;
        Analyses = analyses;
    }

    /// <summary>Gets what to do.</summary>
    public RolloutAction Action { get; }

    /// <summary>Gets the canary weight to run with, in percent (0 after a rollback, 100 after promotion).</summary>
    public int Weight { get; }

    /// <summary>Gets a one-line reason; it mentions skipped analysis whenever analysis was skipped.</summary>
    public string Reason { get; }

    /// <summary>Gets the rollout's state after this decision.</summary>
    public RolloutState State { get; }

    /// <summary>Gets the metrics behind the decision, with their measurements and evidence.</summary>
    public IReadOnlyList<MetricRunStatus> Analyses { get; }

    /// <summary>Gets the human commands recorded so far.</summary>
    public IReadOnlyList<ManualOverride> Overrides => State.Overrides;

    /// <inheritdoc />
    public override string ToString() => $"{Action} (weight {Weight} %): {Reason}";
}
