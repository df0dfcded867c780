using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies.Events;

/// <summary>
/// Derives the events of a decision, purely, from the state before it and the decision itself: what a
/// <see cref="CanaryRollout"/> publishes to its subscribers, and what a test or a replay of saved states can compute alone.
/// </summary>
public static class RolloutEvents
{
    /// <summary>
    /// The events between two states: the decision's, in the order they happened — started, the human command, provider
    /// errors, the checks measured, the step completed, the analysis failed or inconclusive, the weight changed, rolled back or promoted — or,
    /// when none of these but measurements happened during a running step or a pause, a heartbeat once <paramref name="heartbeatInterval"/>
    /// has passed since <paramref name="lastEventAt"/> (or since the step started, when unknown).
    /// </summary>
    /// <param name="policy">The rollout's policy (its replica count gives the effective weight before a change).</param>
    /// <param name="before">The rollout's state before the decision.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="heartbeatInterval">The heartbeat interval; null, zero or negative for none.</param>
    /// <param name="lastEventAt">When the rollout last published an event, if known.</param>
    /// <returns>The events, possibly none.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static IReadOnlyList<RolloutEvent> Between(
        CanaryPolicy policy,
        RolloutState before,
        RolloutDecision decision,
        TimeSpan? heartbeatInterval = null,
        DateTimeOffset? lastEventAt = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(decision);
        var ended = before.Status is RolloutStatus.Promoted or RolloutStatus.Aborted;
        if (ended && decision.Command is null)
        {
            // A settled rollout repeats its last decision: nothing new happened.
            return [];
        }

        var events = new List<RolloutEvent>();
        if (before == RolloutState.Start(policy, before.StartedAt))
        {
            events.Add(new RolloutStarted(decision));
        }

        if (decision.Command is { } command)
        {
            events.Add(new ManualOverrideApplied(decision, command));
        }

        var measured = AddProviderErrors(events, decision, before.StepAnalysis, decision.StepAnalysis)
            | AddProviderErrors(events, decision, before.BackgroundAnalysis, decision.BackgroundAnalysis);
        if (measured)
        {
            events.Add(new ChecksMeasured(decision));
        }
        if (decision.Action == RolloutAction.Advance
            || (decision.Action == RolloutAction.Promote && decision.Cause is not (DecisionCause.ManualPromote or DecisionCause.Promoted)))
        {
            events.Add(new StepCompleted(decision));
        }

        switch (decision.Cause)
        {
            case DecisionCause.AnalysisFailed or DecisionCause.AnalysisError or DecisionCause.BackgroundFailed or DecisionCause.BackgroundError:
                var run = decision.Cause is DecisionCause.AnalysisFailed or DecisionCause.AnalysisError ? decision.StepAnalysis : decision.BackgroundAnalysis;
                var phase = decision.Cause is DecisionCause.AnalysisFailed or DecisionCause.BackgroundFailed ? AnalysisPhase.Failed : AnalysisPhase.Error;
                if ((run?.Metrics.FirstOrDefault(m => m.Phase == phase) ?? run?.Metrics.FirstOrDefault(m => m.IsCompleted)) is { } deciding)
                {
                    events.Add(new AnalysisFailed(decision, deciding));
                }

                break;
            case DecisionCause.AnalysisInconclusive or DecisionCause.BackgroundInconclusive:
                var paused = decision.Cause == DecisionCause.AnalysisInconclusive ? decision.StepAnalysis : decision.BackgroundAnalysis;
                events.Add(new PausedInconclusive(decision, [.. (paused?.Metrics ?? []).Where(m => m.Phase == AnalysisPhase.Inconclusive).Select(m => new MissingEvidence(m))]));
                break;
        }

        if (decision.Weight != before.Weight)
        {
            var fromEffective = policy.Replicas is { } replicas ? ReplicaSplit.ForWeight(replicas, before.Weight, policy.MaxSurge).EffectiveWeight : before.Weight;
            events.Add(new WeightChanged(decision, before.Weight, fromEffective));
        }

        if (decision.Action == RolloutAction.Rollback && before.Status != RolloutStatus.Aborted)
        {
            events.Add(new RolloutRolledBack(decision));
        }
        else if (decision.Action == RolloutAction.Promote && before.Status != RolloutStatus.Promoted)
        {
            events.Add(new RolloutPromoted(decision));
        }

        if (events.TrueForAll(e => e is ChecksMeasured)
            && heartbeatInterval is { } interval && interval > TimeSpan.Zero
            && decision.Action is RolloutAction.Continue or RolloutAction.Pause
            && decision.At - (lastEventAt ?? decision.State.StepStartedAt) >= interval)
        {
            events.Add(new RolloutHeartbeat(decision));
        }

        return events;
    }

    /// <summary>
    /// The longest time still needed, at the current traffic, among the decision's checks whose last measurement was
    /// inconclusive and estimated it (<see cref="Evaluation.CheckResult.TimeNeeded"/>); null when none does.
    /// </summary>
    /// <param name="decision">The decision.</param>
    /// <returns>The time, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public static TimeSpan? TimeNeeded(RolloutDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        TimeSpan? longest = null;
        foreach (var metric in decision.Analyses)
        {
            if (metric.Last is { Phase: MeasurementPhase.Inconclusive, Evidence.TimeNeeded: { } needed } && !(longest >= needed))
            {
                longest = needed;
            }
        }

        return longest;
    }

    /// <summary>
    /// Adds an event for every check whose error count grew between the run's two states (its last measurement is the
    /// error); whether any check took a measurement.
    /// </summary>
    private static bool AddProviderErrors(List<RolloutEvent> events, RolloutDecision decision, AnalysisRunState? before, AnalysisRunState? after)
    {
        if (after is null || ReferenceEquals(before, after))
        {
            return false;
        }

        var measured = false;
        var sameRun = before is not null && before.StartedAt == after.StartedAt && before.Background == after.Background;
        foreach (var metric in after.Metrics)
        {
            var earlier = sameRun ? before!.Metrics.FirstOrDefault(m => m.Name == metric.Name) : null;
            measured |= metric.Count + metric.Errors > (earlier?.Count ?? 0) + (earlier?.Errors ?? 0);
            if (metric.Errors > (earlier?.Errors ?? 0) && metric.Last is { Phase: MeasurementPhase.Error })
            {
                events.Add(new ProviderError(decision, metric));
            }
        }

        return measured;
    }
}
