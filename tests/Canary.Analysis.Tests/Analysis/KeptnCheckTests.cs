using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Canary.Analysis.Statistics.Keptn;
using Canary.Analysis.Tests.Evaluation;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Analysis;

public sealed class KeptnCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 15, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Indicators = new() { ["latency"] = "canary_latency", ["errors"] = "canary_errors" };

    private static SeriesMetricProvider Provider(double latency, double errors, params double[] baselineLatency) => new(new Dictionary<string, double[][]>
    {
        ["canary_latency"] = [[latency]],
        ["canary_errors"] = [[errors]],
        ["baseline_latency"] = baselineLatency.Select(v => new[] { v }).ToArray(),
    });

    [Theory]
    [InlineData(500, 0, Verdict.Pass)]
    [InlineData(500, 1, Verdict.Fail)]
    [InlineData(700, 0, Verdict.Inconclusive)]
    public async Task QueriesEachIndicatorNow_AndScores(double latency, double errors, Verdict expected)
    {
        var check = new KeptnCheck(Provider(latency, errors), Indicators, KeptnEvaluatorTests.Criteria());

        Assert.Equal(expected, (await check.MeasureAsync(Now)).Verdict);
    }

    [Fact]
    public async Task BaselineQueries_FeedRelativeCriteria_SeveralSeriesOrWarnings_AreNoValue()
    {
        var criteria = new KeptnCriteria { Slo = new KeptnSlo { Objectives = [KeptnEvaluatorTests.Objective("latency", ["<=+10%"])] } };
        var baseline = new Dictionary<string, string> { ["latency"] = "baseline_latency" };
        var canary = new Dictionary<string, string> { ["latency"] = "canary_latency" };

        Assert.Equal(Verdict.Pass, (await new KeptnCheck(Provider(220, 0, 200), canary, criteria, baseline).MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Fail, (await new KeptnCheck(Provider(220.5, 0, 200), canary, criteria, baseline).MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Inconclusive, (await new KeptnCheck(Provider(220.5, 0, 200, 100), canary, criteria, baseline).MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Inconclusive, (await new KeptnCheck(Provider(220.5, 0), canary, criteria, baseline).MeasureAsync(Now)).Verdict);

        var partial = new SeriesMetricProvider(new Dictionary<string, double[][]> { ["canary_latency"] = [[500]], ["canary_errors"] = [[0]] }) { Warnings = ["partial response"] };
        Assert.Equal(Verdict.Inconclusive, (await new KeptnCheck(partial, Indicators, KeptnEvaluatorTests.Criteria()).MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Pass, (await new KeptnCheck(partial, Indicators, KeptnEvaluatorTests.Criteria()) { AllowPartialResponses = true }.MeasureAsync(Now)).Verdict);
    }

    [Fact]
    public async Task ProviderErrors_Throw_AndMissingQueriesAreRejected()
    {
        var broken = new SeriesMetricProvider(new Dictionary<string, double[][]>());
        await Assert.ThrowsAsync<MetricQueryException>(() => new KeptnCheck(broken, Indicators, KeptnEvaluatorTests.Criteria()).MeasureAsync(Now));

        var error = Assert.Throws<ArgumentException>(() => new KeptnCheck(broken, new Dictionary<string, string> { ["latency"] = "x" }, KeptnEvaluatorTests.Criteria()));
        Assert.Contains("'errors'", error.Message, StringComparison.Ordinal);
        var description = new KeptnCheck(broken, Indicators, KeptnEvaluatorTests.Criteria()).Description;
        Assert.Equal((CheckSubject.Objectives, false), (description.Judges, description.ComparesWithBaseline));
    }

    [Theory]
    [InlineData(500, 0, RolloutAction.Promote)]
    [InlineData(500, 1, RolloutAction.Rollback)]
    public async Task InACanaryRollout_PromotesAPassingGate_RollsBackAFailingOne(double latency, double errors, RolloutAction expected)
    {
        var metric = new AnalysisMetric { Name = "keptn", Check = new KeptnCheck(Provider(latency, errors), Indicators, KeptnEvaluatorTests.Criteria()), Interval = TimeSpan.FromMinutes(1), Count = 3 };
        var policy = new CanaryPolicy("keptn", [CanaryStep.SetWeight(5), CanaryStep.Analysis("gate", metric)]);

        Assert.Equal(expected, (await RolloutRunner.RunAsync(policy, Now, TimeSpan.FromHours(1))).Action);
    }
}
