using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// The judge as an evaluator, on Kayenta's own vectors (kayenta.md §5.2 ClassifierSuite #1 High, #2 Pass; §5.3 ScorerSuite
/// #5: Pass + High in one group scores 50), with the fail-safe rules on top.
/// </summary>
public sealed class JudgeEvaluatorTests
{
    internal static readonly double[] HighCanary = [20.0, 22.0, 21.0, 25.0, 30.0];
    internal static readonly double[] HighBaseline = [1.0, 2.2, 1.1, 2.5, 3.0];
    internal static readonly double[] PassCanary = [10.0, 12.2, 10.1, 12.5, 23.0];
    internal static readonly double[] PassBaseline = [20.0, 22.0, 21.0, 25.0, 30.0];

    /// <summary>ClassifierSuite's classifier: tolerance 0.10, confidence 0.95; five values per side are enough here.</summary>
    internal static JudgeCriteria Suite(double pass = 95, double marginal = 75) => new()
    {
        Options = new JudgeOptions { Tolerance = 0.10, ConfidenceLevel = 0.95 },
        MinimumDataPoints = 5,
        Thresholds = new ScoreThresholds(pass, marginal),
    };

    internal static MetricConfig HighConfig(string name = "latency", bool critical = false) =>
        new() { Name = name, Groups = ["g"], AllowedDecrease = 0.8, AllowedIncrease = 1.2, Critical = critical };

    internal static MetricConfig PassConfig(string name = "errors", bool critical = false, NanStrategy nan = NanStrategy.Remove) =>
        new() { Name = name, Groups = ["g"], AllowedDecrease = 0.5, AllowedIncrease = 1.0, Critical = critical, NanStrategy = nan };

    private static JudgeMetricData High(string name = "latency") => new(HighConfig(name), HighCanary, HighBaseline);

    private static JudgeMetricData Passing(string name = "errors") => new(PassConfig(name), PassCanary, PassBaseline);

    [Fact]
    public void KayentaHigh_Fails_WithTheIntervalInTheReason()
    {
        var result = JudgeEvaluator.Evaluate([High()], Suite());

        Assert.Equal((Verdict.Fail, 0.0, 95.0), (result.Verdict, result.Value, result.Threshold));
        Assert.Contains("latency High", result.Reason, StringComparison.Ordinal);
        Assert.Contains("CI lower 17.8", result.Reason, StringComparison.Ordinal);
        Assert.Contains("(n=5 vs 5)", result.Reason, StringComparison.Ordinal);
        var row = Assert.Single(result.Endpoints);
        Assert.Equal(("latency", EndpointStatus.LimitBreached, 5.0), (row.Endpoint, row.Status, row.Requests));
        Assert.Equal(23.6, row.Value, 1e-12);
        Assert.Equal(1.96, row.BaselineValue, 1e-12);
    }

    [Fact]
    public void KayentaPass_Passes()
    {
        var result = JudgeEvaluator.Evaluate([Passing()], Suite());

        Assert.Equal((Verdict.Pass, 100.0), (result.Verdict, result.Value));
        Assert.StartsWith("Judge score 100 (pass ≥ 95, marginal ≥ 75): 1 of 1 metric(s) pass", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ScorerSuite5_PassPlusHighScores50_FailBelowMarginal_MarginalIsInconclusive()
    {
        var fail = JudgeEvaluator.Evaluate([Passing(), High()], Suite());
        Assert.Equal((Verdict.Fail, 50.0), (fail.Verdict, fail.Value));

        var marginal = JudgeEvaluator.Evaluate([Passing(), High()], Suite(pass: 95, marginal: 40));
        Assert.Equal((Verdict.Inconclusive, 50.0), (marginal.Verdict, marginal.Value));
        Assert.Contains("marginal", marginal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSeries_IsInconclusive_WhereKayentaWouldFailOnNoData()
    {
        // Kayenta: 1 of 2 metrics NoData (≥ 50 %) zeroes the score: a rollback on no data.
        var kayenta = CanaryScorer.Score(
            [MetricClassifier.Classify(PassConfig(), PassCanary, PassBaseline, Suite().Options), MetricClassifier.Classify(HighConfig("missing"), [], HighBaseline, Suite().Options)],
            new ScoreThresholds(95, 75));
        Assert.Equal(0, kayenta.Score);

        var result = JudgeEvaluator.Evaluate([Passing(), new JudgeMetricData(HighConfig("missing"), [], HighBaseline)], Suite());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Not enough evidence: missing NoData: Missing data for missing (n=0 vs 5)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.Insufficient, result.Endpoints.Single(r => r.Endpoint == "missing").Status);
    }

    [Fact]
    public void MissingCriticalSeries_OrReplaceStrategy_NeverPasses()
    {
        var critical = JudgeEvaluator.Evaluate([Passing(), new JudgeMetricData(HighConfig("missing", critical: true), [], HighBaseline)], Suite());
        Assert.Equal(Verdict.Inconclusive, critical.Verdict);

        // Kayenta passes an empty series under the replace strategy (kayenta#700).
        var replace = JudgeEvaluator.Evaluate([new JudgeMetricData(PassConfig(nan: NanStrategy.Replace), [], PassBaseline)], Suite());
        Assert.Equal(Verdict.Inconclusive, replace.Verdict);
    }

    [Fact]
    public void FailsWhateverTheMissingMetricsWouldShow()
    {
        // Two Highs and one missing metric in one group: even if the missing one passed, 1 of 3 is 33 < 75.
        var result = JudgeEvaluator.Evaluate([High("a"), High("b"), new JudgeMetricData(PassConfig("c"), PassCanary, [])], Suite());

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("best case: score 33.33 < marginal 75", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewPoints_NaNOnly_InfiniteValues_AndProblems_AreInconclusive()
    {
        var fewer = JudgeEvaluator.Evaluate([Passing()], new JudgeCriteria());
        Assert.Equal(Verdict.Inconclusive, fewer.Verdict);
        Assert.Contains("Too few values for errors: 5 canary and 5 baseline, at least 50 each needed", fewer.Reason, StringComparison.Ordinal);

        var nan = JudgeEvaluator.Evaluate([new JudgeMetricData(PassConfig(), [double.NaN, double.NaN], PassBaseline)], Suite());
        Assert.Equal(Verdict.Inconclusive, nan.Verdict);

        var infinite = JudgeEvaluator.Evaluate([new JudgeMetricData(PassConfig(), [1, 2, 3, 4, double.PositiveInfinity], PassBaseline)], Suite());
        Assert.Equal(Verdict.Inconclusive, infinite.Verdict);
        Assert.Contains("Error", infinite.Reason, StringComparison.Ordinal);

        var problem = JudgeEvaluator.Evaluate([new JudgeMetricData(PassConfig(), PassCanary, PassBaseline) { Problem = "partial response" }], Suite());
        Assert.Equal(Verdict.Inconclusive, problem.Verdict);
        Assert.Contains("partial response", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MutedMetrics_AreReportedNotScored()
    {
        var result = JudgeEvaluator.Evaluate([Passing(), new JudgeMetricData(new MetricConfig { Name = "muted", Groups = ["g"], Muted = true }, [], [])], Suite());

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(EndpointStatus.Excluded, result.Endpoints.Single(r => r.Endpoint == "muted").Status);
    }

    [Fact]
    public void InvalidCriteria_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => JudgeEvaluator.Evaluate([], Suite()));
        Assert.Throws<ArgumentException>(() => JudgeEvaluator.Evaluate([Passing()], new JudgeCriteria { MinimumDataPoints = 0 }));
        var negative = new JudgeCriteria();
        negative.GroupWeights["g"] = -1;
        Assert.Contains("GroupWeights[\"g\"]", Assert.Throws<ArgumentException>(() => JudgeEvaluator.Evaluate([Passing()], negative)).Message, StringComparison.Ordinal);
    }
}
