using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Reports;

/// <summary>
/// Accumulates a rollout's decisions as they are handed out (<see cref="Add"/>) and builds its <see cref="CanaryReport"/>: each
/// step's analysis with every look seen (a metric keeps only its last <see cref="AnalysisMetric.HistoryLimit"/> looks; the builder
/// keeps them all), the weight timeline and the human commands. Keeps only what the report needs, not the decisions.
/// </summary>
public sealed class RolloutReportBuilder
{
    private readonly List<RunLooks> _runs = [];
    private readonly List<ReportWeight> _weights = [];
    private RolloutDecision? _last;

    /// <summary>Records a decision (in the order they were made).</summary>
    /// <param name="decision">The decision.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public RolloutReportBuilder Add(RolloutDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.StepAnalysis is { } step)
        {
            Record(step, decision.Step?.Name ?? $"step {decision.StepIndex + 1}");
        }

        if (decision.BackgroundAnalysis is { } background)
        {
            Record(background, "background");
        }

        if (_weights.Count == 0 || _weights[^1].Weight != decision.Weight || _weights[^1].EffectiveWeight != decision.EffectiveWeight)
        {
            _weights.Add(new ReportWeight(decision.At, decision.StepIndex, decision.Action, decision.Weight, decision.EffectiveWeight));
        }

        _last = decision;
        return this;
    }

    /// <summary>Builds the report as of the last decision added.</summary>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">No decision was added.</exception>
    public CanaryReport Build()
    {
        var last = _last ?? throw new InvalidOperationException("A rollout report needs at least one decision.");
        var checks = _runs.OrderBy(r => r.Background).SelectMany(r => r.Checks()).ToArray();
        return new CanaryReport(ReportKind.Rollout, last.State.Policy, last.At, Status(last), last.Reason, checks)
        {
            Action = last.Action,
            Cause = last.Cause,
            StartedAt = last.State.StartedAt,
            Weight = last.Weight,
            EffectiveWeight = last.EffectiveWeight,
            AnalysisSkipped = last.State.AnalysisSkipped,
            Weights = [.. _weights],
            Overrides = last.Overrides,
        };
    }

    private static ReportStatus Status(RolloutDecision decision) => decision.Action switch
    {
        RolloutAction.Promote => ReportStatus.Passed,
        RolloutAction.Rollback when decision.Cause is DecisionCause.AnalysisError or DecisionCause.BackgroundError => ReportStatus.Error,
        RolloutAction.Rollback => ReportStatus.Failed,
        RolloutAction.Pause => ReportStatus.Inconclusive,
        _ => ReportStatus.Running,
    };

    private void Record(AnalysisRunState run, string step)
    {
        // A run is known by when it started and whether it is background analysis: a restored run keeps both.
        var looks = _runs.Find(r => r.StartedAt == run.StartedAt && r.Background == run.Background && r.Step == step);
        if (looks is null)
        {
            looks = new RunLooks(step, run.StartedAt, run.Background);
            _runs.Add(looks);
        }

        looks.Add(run);
    }

    /// <summary>
    /// One analysis run's metrics, each with every look seen as a point (time, phase, value, threshold) and only its last look in
    /// full (with its per-endpoint rows), so that a soak of days keeps a few numbers a look.
    /// </summary>
    private sealed class RunLooks(string step, DateTimeOffset startedAt, bool background)
    {
        private readonly List<MetricLooks> _metrics = [];

        public string Step { get; } = step;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public bool Background { get; } = background;

        public void Add(AnalysisRunState run)
        {
            foreach (var metric in run.Metrics)
            {
                var looks = _metrics.Find(m => string.Equals(m.Status.Name, metric.Name, StringComparison.Ordinal));
                if (looks is null)
                {
                    looks = new MetricLooks { Status = metric };
                    _metrics.Add(looks);
                }

                looks.Add(metric);
            }
        }

        public IEnumerable<ReportCheck> Checks() => _metrics.Select(m => ReportCheck.Of(m.Status, Step, m.Points, m.Last));
    }

    private sealed class MetricLooks
    {
        public required MetricRunStatus Status { get; set; }

        public List<ReportPoint> Points { get; } = [];

        public Measurement? Last { get; private set; }

        public void Add(MetricRunStatus metric)
        {
            Status = metric;
            // Looks of one metric are strictly later one after another: add those not seen yet.
            foreach (var look in metric.History)
            {
                if (Last is null || look.FinishedAt > Last.FinishedAt)
                {
                    Points.Add(ReportCheck.Point(look, Points.Count > 0 ? Points[^1].Threshold : double.NaN));
                    Last = look;
                }
            }
        }
    }
}
