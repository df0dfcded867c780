using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>
/// The pure function behind <see cref="RolloutNotification.FromDecision"/>: which decisions are worth a message, which metric
/// and endpoint decided, all read from the decision's typed data (never from its text).
/// </summary>
internal static class DecisionReader
{
    public static RolloutNotification? Read(RolloutDecision decision, NotificationContext context)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(context.Rollout, nameof(context));
        var dashboard = DashboardLink.Parse(context.DashboardUrlTemplate);
        if (KindOf(decision) is not { } kind)
        {
            return null;
        }

        var metric = DecidingMetric(decision);
        var result = metric?.Last?.Evidence;
        var state = decision.State;
        return new RolloutNotification
        {
            Id = IdOf(decision, context, kind),
            Kind = kind,
            Action = decision.Action,
            Cause = decision.Cause,
            Rollout = context.Rollout,
            Namespace = context.Namespace,
            Policy = state.Policy,
            At = decision.At,
            StartedAt = state.StartedAt,
            StepIndex = decision.StepIndex,
            StepName = decision.Step?.Name,
            StepWeight = decision.StepWeight,
            Weight = decision.Weight,
            EffectiveWeight = decision.EffectiveWeight,
            Reason = decision.Reason,
            Check = metric is null ? null : CheckOf(metric, result),
            Endpoint = result is null ? null : DecidingEndpoint(result),
            Command = decision.Cause is DecisionCause.ManualPromote or DecisionCause.ManualAbort or DecisionCause.ManualSkipAnalysis
                or DecisionCause.ManualRetry or DecisionCause.ManualResume ? decision.Command : null,
            DashboardUrl = dashboard?.Link(context, state.Policy, decision.StepIndex, state.StartedAt, decision.At),
        };
    }

    /// <summary>The kind of a decision worth a message, or null: continuing, advancing and a settled rollout's repeats say nothing new.</summary>
    internal static RolloutNotificationKind? KindOf(RolloutDecision decision) => decision.Cause switch
    {
        DecisionCause.ManualPromote or DecisionCause.ManualAbort or DecisionCause.ManualSkipAnalysis or DecisionCause.ManualRetry
            or DecisionCause.ManualResume => RolloutNotificationKind.ManualOverride,
        DecisionCause.RolledBack or DecisionCause.Promoted or DecisionCause.Paused => null,
        DecisionCause.AnalysisFailed or DecisionCause.BackgroundFailed => RolloutNotificationKind.RolledBack,
        DecisionCause.AnalysisError or DecisionCause.BackgroundError => RolloutNotificationKind.ProviderError,
        DecisionCause.AnalysisInconclusive or DecisionCause.BackgroundInconclusive => RolloutNotificationKind.PausedInconclusive,
        DecisionCause.PausedUntilResumed when decision.Action == RolloutAction.Pause => RolloutNotificationKind.WaitingForHuman,
        _ when decision.Action == RolloutAction.Promote => RolloutNotificationKind.Promoted,
        _ => null,
    };

    /// <summary>
    /// The metric that decided: among the analysis the cause names (background or step, else all), the one in the worst phase
    /// (failed, error, inconclusive, …; <see cref="AnalysisPhase"/> orders them best to worst), the first of equals.
    /// </summary>
    private static MetricRunStatus? DecidingMetric(RolloutDecision decision)
    {
        IReadOnlyList<MetricRunStatus> metrics = decision.Cause switch
        {
            DecisionCause.BackgroundFailed or DecisionCause.BackgroundError or DecisionCause.BackgroundInconclusive =>
                decision.BackgroundAnalysis?.Metrics ?? decision.Analyses,
            DecisionCause.AnalysisFailed or DecisionCause.AnalysisError or DecisionCause.AnalysisInconclusive =>
                decision.StepAnalysis?.Metrics ?? decision.Analyses,
            _ => decision.Analyses,
        };
        MetricRunStatus? worst = null;
        foreach (var metric in metrics)
        {
            if (worst is null || metric.Phase > worst.Phase)
            {
                worst = metric;
            }
        }

        return worst;
    }

    private static NotifiedCheck CheckOf(MetricRunStatus metric, CheckResult? result) => new()
    {
        Metric = metric.Name,
        Check = result?.Name,
        Phase = metric.Phase,
        LastMeasurement = metric.Last?.Phase,
        Value = metric.Last?.Value ?? double.NaN,
        Threshold = result?.Threshold ?? double.NaN,
        SuccessRateDropBound = result?.SuccessRateDropBound ?? double.NaN,
        Successful = metric.Successful,
        Failed = metric.Failed,
        Inconclusive = metric.Inconclusive,
        Errors = metric.Errors,
        Message = metric.Last?.Reason ?? metric.Message,
    };

    /// <summary>
    /// The endpoint that decided a check: for a failure the heaviest endpoint outside its own limit (for a sequential check,
    /// without one, the endpoint with the most evidence); for an inconclusive result the heaviest endpoint short of data;
    /// none for a pass.
    /// </summary>
    internal static NotifiedEndpoint? DecidingEndpoint(CheckResult result)
    {
        EndpointResult? chosen = result.Verdict switch
        {
            Verdict.Fail => Heaviest(result.Endpoints, EndpointStatus.LimitBreached)
                ?? (result.Name is SequentialErrorRateEvaluator.CheckName or SequentialLatencyEvaluator.CheckName ? MostEvidence(result.Endpoints) : null),
            Verdict.Inconclusive => Heaviest(result.Endpoints, EndpointStatus.Insufficient),
            _ => null,
        };
        return chosen is null ? null : new NotifiedEndpoint
        {
            Name = chosen.Endpoint,
            Status = chosen.Status,
            Value = chosen.Value,
            Limit = chosen.Limit,
            BaselineValue = chosen.BaselineValue,
            Requests = chosen.Requests,
            Weight = chosen.Weight,
            Contribution = chosen.Contribution,
            SuccessRateDropBound = chosen.SuccessRateDropBound,
            EvidenceKind = chosen.EvidenceKind,
            EvidenceValue = chosen.EvidenceValue,
            EvidenceBoundary = chosen.EvidenceBoundary,
        };
    }

    private static EndpointResult? Heaviest(IReadOnlyList<EndpointResult> rows, EndpointStatus status)
    {
        EndpointResult? best = null;
        foreach (var row in rows)
        {
            if (row.Status == status && (best is null || row.Weight > best.Weight))
            {
                best = row;
            }
        }

        return best;
    }

    private static EndpointResult? MostEvidence(IReadOnlyList<EndpointResult> rows)
    {
        EndpointResult? best = null;
        foreach (var row in rows)
        {
            if (row.Status != EndpointStatus.Excluded && double.IsFinite(row.Contribution) && (best is null || row.Contribution > best.Contribution))
            {
                best = row;
            }
        }

        return best;
    }

    /// <summary>A stable id: the first 128 bits of SHA-256 over what makes the decision this one, in hex.</summary>
    private static string IdOf(RolloutDecision decision, NotificationContext context, RolloutNotificationKind kind)
    {
        var key = string.Join(
            '\n',
            context.Namespace ?? string.Empty,
            context.Rollout,
            decision.State.Policy,
            kind.ToString(),
            decision.Cause.ToString(),
            decision.Action.ToString(),
            decision.StepIndex.ToString(CultureInfo.InvariantCulture),
            decision.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            decision.Command is { } command ? $"{command.Action}|{command.By}|{command.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)).ToLowerInvariant();
    }
}
