using System.Globalization;
using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Judges canary series against baseline series as Kayenta's NetflixACAJudge does (<see cref="MetricClassifier"/>, then
/// <see cref="CanaryScorer"/>), and turns the score into a verdict that never passes on missing evidence.
/// </summary>
/// <remarks>
/// <para>Verdicts: a score at or above the pass threshold is a Pass; below the marginal threshold a Fail; in between
/// (Kayenta's Marginal) Inconclusive — Kayenta's orchestrator stops a run on a marginal interval without calling it a failure,
/// and a marginal score is not evidence that the canary is good.</para>
/// <para>Fail-safe (not in Kayenta): a metric whose series is missing or empty (NoData, whatever the NaN strategy), whose values
/// are too few (<see cref="JudgeCriteria.MinimumDataPoints"/>), whose comparison failed (Error: infinite values, …) or whose
/// data has a <see cref="JudgeMetricData.Problem"/> is unusable. With unusable metrics the check is a Fail only when it fails
/// whatever they would show — the score with every unusable metric counted as a Pass is still below the marginal threshold —
/// and Inconclusive otherwise, naming them. Kayenta instead zeroes the score when a critical metric or half the metrics have
/// no data (a rollback on no data) and ignores the others (a pass without them). Metrics marked
/// <see cref="MetricConfig.MustHaveData"/> keep Kayenta's meaning: their missing data counts as a failure.</para>
/// <para>Rows: one per metric (<see cref="EndpointResult.Endpoint"/> is the metric name): Requests = canary values compared,
/// Value = canary mean, BaselineValue = baseline mean; Excluded when muted, LimitBreached for High, Low and NoDataFail,
/// Insufficient when unusable. <see cref="CheckResult.Value"/> is the score (0–100), <see cref="CheckResult.Threshold"/> the pass threshold.</para>
/// </remarks>
public static class JudgeEvaluator
{
    /// <summary>The name of the checks this evaluator produces.</summary>
    public const string CheckName = "judge";

    /// <summary>Classifies every metric and scores them.</summary>
    /// <param name="metrics">The metrics with their canary and baseline values.</param>
    /// <param name="criteria">The thresholds, weights and options.</param>
    /// <returns>The verdict, the score, a row per metric and a one-line reason with the numbers.</returns>
    /// <exception cref="ArgumentNullException">An argument or a metric is null.</exception>
    /// <exception cref="ArgumentException">There is no metric, the criteria are invalid or a metric configuration is out of range.</exception>
    public static CheckResult Evaluate(IReadOnlyList<JudgeMetricData> metrics, JudgeCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(criteria);
        criteria.Validate();
        if (metrics.Count == 0)
        {
            throw new ArgumentException("The judge needs at least one metric.", nameof(metrics));
        }

        var options = criteria.EffectiveOptions();
        var results = new List<MetricResult>(metrics.Count);
        foreach (var data in metrics)
        {
            ArgumentNullException.ThrowIfNull(data, nameof(metrics));
            results.Add(data.Problem is { } problem
                ? new MetricResult(data.Metric.Name, data.Metric.Groups, MetricClassification.NoData, problem, isMuted: data.Metric.Muted)
                : MetricClassifier.Classify(data.Metric, data.Canary.ToArray(), data.Baseline.ToArray(), options));
        }

        var weights = new Dictionary<string, double>(criteria.GroupWeights, StringComparer.Ordinal);
        var thresholds = criteria.Thresholds;
        var score = CanaryScorer.Score(results, thresholds, weights);
        var unusable = results.Where(r => !r.IsMuted && r.Classification is MetricClassification.NoData or MetricClassification.Error or MetricClassification.Inconclusive).ToList();
        var rows = results.Select(Row).ToList();
        var scored = Invariant($"score {score.Score:0.##} (pass ≥ {thresholds.Pass:0.##}, marginal ≥ {thresholds.Marginal:0.##})");
        if (unusable.Count == 0)
        {
            var verdict = score.Classification switch
            {
                ScoreClassification.Pass => Verdict.Pass,
                ScoreClassification.Fail => Verdict.Fail,
                _ => Verdict.Inconclusive,
            };
            var reason = verdict switch
            {
                Verdict.Pass => $"Judge {scored}: {Passing(results)}.",
                Verdict.Fail => $"Judge {scored}: {score.Reason}; {Details(results.Where(r => !r.IsMuted && r.Classification != MetricClassification.Pass))}.",
                _ => $"Judge {scored} is marginal, not evidence either way: {Details(results.Where(r => !r.IsMuted && r.Classification != MetricClassification.Pass))}.",
            };
            return new CheckResult(CheckName, verdict, score.Score, thresholds.Pass, reason, rows);
        }

        // What the usable metrics say if every unusable one passed: a Fail then holds whatever the missing data would show.
        var best = CanaryScorer.Score(results.Select(r => unusable.Contains(r) ? AsPass(r) : r).ToList(), thresholds, weights);
        if (best.Classification == ScoreClassification.Fail)
        {
            return new CheckResult(CheckName, Verdict.Fail, score.Score, thresholds.Pass, Invariant(
                $"Judge fails whatever the unusable metrics would show (best case: score {best.Score:0.##} < marginal {thresholds.Marginal:0.##}): {Details(results.Where(r => !r.IsMuted && r.Classification is not MetricClassification.Pass && !unusable.Contains(r)))}; unusable: {Details(unusable)}."), rows);
        }

        return new CheckResult(CheckName, Verdict.Inconclusive, score.Score, thresholds.Pass,
            $"Not enough evidence: {Details(unusable)}; {Passing(results)} (Kayenta's {scored}).", rows);
    }

    private static MetricResult AsPass(MetricResult r) => new(r.Name, r.Groups, MetricClassification.Pass, r.Reason, isCritical: false, r.IsMuted);

    private static string Passing(List<MetricResult> results)
    {
        var active = results.Count(r => !r.IsMuted);
        return Invariant($"{results.Count(r => !r.IsMuted && r.Classification == MetricClassification.Pass)} of {active} metric(s) pass");
    }

    private static string Details(IEnumerable<MetricResult> results)
    {
        var list = results.ToList();
        var more = list.Count > 3 ? Invariant($" and {list.Count - 3} more") : string.Empty;
        return string.Join("; ", list.Take(3).Select(r => Invariant($"{r.Name} {r.Classification}{(r.IsCritical ? " (critical)" : string.Empty)}: {r.Reason} (n={r.CanaryCount} vs {r.BaselineCount})"))) + more;
    }

    private static EndpointResult Row(MetricResult r)
    {
        var status = r.IsMuted ? EndpointStatus.Excluded : r.Classification switch
        {
            MetricClassification.Pass => EndpointStatus.Judged,
            MetricClassification.High or MetricClassification.Low or MetricClassification.NoDataFail => EndpointStatus.LimitBreached,
            _ => EndpointStatus.Insufficient,
        };
        return new EndpointResult(r.Name, status, r.CanaryCount, double.NaN, r.CanaryMean, double.NaN, double.NaN, null, r.BaselineMean);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
