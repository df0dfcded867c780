using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Policies.Events;

/// <summary>A step completed (a weight set, a pause elapsed or resumed, an analysis passed, was skipped or advanced on fail-fast).</summary>
public sealed class StepCompleted : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision that completed the step (an advance, or the promotion by the last step).</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public StepCompleted(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.StepCompleted;

    /// <summary>Gets the completed step's index.</summary>
    public int StepIndex => Decision.StepIndex;

    /// <summary>Gets the completed step.</summary>
    public CanaryStep? Step => Decision.Step;

    /// <summary>Gets the completed step's checks (empty for a step without analysis): phase, counters, measurements.</summary>
    public IReadOnlyList<MetricRunStatus> Checks => Decision.StepAnalysis?.Metrics ?? [];

    /// <summary>Gets each check's last full result, for the checks whose last measurement has one (not those read from a saved state).</summary>
    public IReadOnlyList<CheckResult> Results => [.. Checks.Select(c => c.Last?.Evidence).OfType<CheckResult>()];
}
