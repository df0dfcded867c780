using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;

namespace Canary.Analysis.Policies.Events;

/// <summary>An analysis (the step's or the background's) failed or ended in error: the rollout rolls back.</summary>
public sealed class AnalysisFailed : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The rollback decision.</param>
    /// <param name="check">The deciding check: the first that failed (or ended in error).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AnalysisFailed(RolloutDecision decision, MetricRunStatus check)
        : base(decision)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check = check;
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.AnalysisFailed;

    /// <summary>Gets a value indicating whether the background analysis (rather than the step's) decided.</summary>
    public bool Background => Decision.Cause is DecisionCause.BackgroundFailed or DecisionCause.BackgroundError;

    /// <summary>Gets a value indicating whether the analysis ended in error (measurements could not be taken) rather than failed.</summary>
    public bool IsError => Decision.Cause is DecisionCause.AnalysisError or DecisionCause.BackgroundError;

    /// <summary>Gets the deciding check's state (name, phase, counters, measurements).</summary>
    public MetricRunStatus Check { get; }

    /// <summary>Gets the deciding check's last full result, or null (an error, or a measurement read from a saved state).</summary>
    public CheckResult? Result => Check.Last?.Evidence;

    /// <summary>
    /// Gets the deciding endpoint: of the endpoints outside their own limit the one with the largest weight, else (for a
    /// sequential check) the one with the largest part of the evidence; null when the result names none.
    /// </summary>
    public EndpointResult? Endpoint => DecidingEndpoint.Of(Result);
}
