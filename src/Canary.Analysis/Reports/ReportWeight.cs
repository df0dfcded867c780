using Canary.Analysis.Policies;

namespace Canary.Analysis.Reports;

/// <summary>A change of the canary's weight: from this time on it runs with these weights.</summary>
public sealed class ReportWeight
{
    internal ReportWeight(DateTimeOffset at, int stepIndex, RolloutAction action, int weight, double effectiveWeight) =>
        (At, StepIndex, Action, Weight, EffectiveWeight) = (at, stepIndex, action, weight, effectiveWeight);

    /// <summary>Gets when the decision that set the weight was made.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Gets the index of the step that decided.</summary>
    public int StepIndex { get; }

    /// <summary>Gets the decision's action.</summary>
    public RolloutAction Action { get; }

    /// <summary>Gets the requested canary weight, in percent.</summary>
    public int Weight { get; }

    /// <summary>Gets the canary's real share of traffic, in percent (the pod share when pods split the traffic).</summary>
    public double EffectiveWeight { get; }
}
