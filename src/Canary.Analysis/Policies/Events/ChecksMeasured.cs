using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies.Events;

/// <summary>
/// Checks took measurements (a look of the step's or the background's analysis): their values, thresholds and evidence
/// changed. The event status metrics follow; notifications usually ignore it. It never holds back a heartbeat.
/// </summary>
public sealed class ChecksMeasured : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision made after the measurements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public ChecksMeasured(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.ChecksMeasured;

    /// <summary>Gets the checks behind the decision (the step's, then the background's), with their latest measurements.</summary>
    public IReadOnlyList<MetricRunStatus> Checks => Decision.Analyses;

    /// <summary>Gets the longest time still needed among the checks that estimate it, or null (<see cref="RolloutEvents.TimeNeeded"/>).</summary>
    public TimeSpan? TimeNeeded => RolloutEvents.TimeNeeded(Decision);
}
