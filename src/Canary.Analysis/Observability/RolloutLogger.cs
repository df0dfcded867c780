using Canary.Analysis.Observability.Internal;
using Canary.Analysis.Policies.Events;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Observability;

/// <summary>
/// Logs a rollout's events (subscribe it: <c>rollout.Subscribe(new RolloutLogger(logger))</c>) with source-generated
/// messages, stable event ids (1000 started, 1001 weight changed, 1002 step completed, 1003 paused inconclusive, 1004
/// analysis failed, 1005 rolled back, 1006 promoted, 1007 manual override, 1008 provider error, 1009 heartbeat, 1011 checks measured at Debug) and the
/// deciding numbers as structured state. Secrets are never logged: a provider error is logged by its kind, not its message.
/// </summary>
public sealed class RolloutLogger : IObserver<RolloutEvent>
{
    private readonly ILogger _logger;

    /// <summary>Creates a logger of rollout events.</summary>
    /// <param name="logger">Where to log.</param>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is null.</exception>
    public RolloutLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Logs an event.</summary>
    /// <param name="value">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void OnNext(RolloutEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var decision = value.Decision;
        var rollout = value.Rollout;
        switch (value)
        {
            case RolloutStarted:
                RolloutLog.Started(_logger, rollout, decision.State.StartedAt);
                break;
            case WeightChanged w:
                RolloutLog.WeightChanged(_logger, rollout, w.FromWeight, w.ToWeight, w.FromEffectiveWeight, w.ToEffectiveWeight);
                break;
            case StepCompleted s:
                RolloutLog.StepCompleted(_logger, rollout, s.StepIndex + 1, s.Step?.Name, decision.Cause, s.Checks.Count);
                break;
            case PausedInconclusive p:
                foreach (var missing in p.Missing)
                {
                    RolloutLog.PausedInconclusive(_logger, rollout, missing.Check.Name, decision.StepWeight, missing.Endpoints.Count, missing.TimeNeeded?.TotalSeconds);
                }

                break;
            case AnalysisFailed f:
                var result = f.Result;
                var endpoint = f.Endpoint;
                RolloutLog.AnalysisFailed(_logger, rollout, f.Check.Phase, f.Check.Name, decision.StepWeight,
                    result?.Value ?? f.Check.Last?.Value ?? double.NaN, result?.Threshold ?? double.NaN, result?.EvidenceValue ?? double.NaN, result?.EvidenceBoundary ?? double.NaN,
                    endpoint?.Endpoint, endpoint?.Value, endpoint?.Limit, endpoint?.BaselineValue, endpoint?.Requests, endpoint?.EvidenceValue, endpoint?.EvidenceBoundary);
                break;
            case RolloutRolledBack:
                RolloutLog.RolledBack(_logger, rollout, decision.Cause, decision.StepWeight, decision.StepIndex + 1);
                break;
            case RolloutPromoted:
                RolloutLog.Promoted(_logger, rollout, decision.Cause, (decision.At - decision.State.StartedAt).TotalSeconds);
                break;
            case ManualOverrideApplied m:
                RolloutLog.ManualOverride(_logger, rollout, m.Action, m.By, m.Command.AtStep + 1, m.Reason);
                break;
            case ProviderError e:
                RolloutLog.ProviderError(_logger, rollout, e.Metric, e.ErrorKind, e.ConsecutiveErrors);
                break;
            case ChecksMeasured c:
                RolloutLog.ChecksMeasured(_logger, rollout, c.Checks.Count, decision.Weight, decision.Action, c.TimeNeeded?.TotalSeconds);
                break;
            case RolloutHeartbeat h:
                RolloutLog.Heartbeat(_logger, rollout, decision.StepIndex + 1, h.InStepFor.TotalSeconds, decision.Weight, decision.Action, h.TimeNeeded?.TotalSeconds);
                break;
        }
    }

    /// <summary>Logs that the events stopped with an error.</summary>
    /// <param name="error">The error.</param>
    public void OnError(Exception error) => RolloutLog.EventsFailed(_logger, error);

    /// <summary>Nothing to do: the rollout ended (its last event said how).</summary>
    public void OnCompleted()
    {
    }
}
