using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.Evaluation;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Analysis;

public sealed class JudgeCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 15, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(13);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private static SeriesMetricProvider Provider(double[] canary, double[] baseline, params double[][] extraCanary) => new(new Dictionary<string, double[][]>
    {
        ["canary"] = [canary, .. extraCanary],
        ["baseline"] = [baseline],
    });

    private static JudgeCheck Check(IMetricProvider provider, bool pass = true) => new(
        provider,
        [new JudgeQuery(pass ? JudgeEvaluatorTests.PassConfig() : JudgeEvaluatorTests.HighConfig(), "canary", "baseline")],
        Window,
        Step,
        JudgeEvaluatorTests.Suite());

    [Fact]
    public async Task ReadsEachVersionOverTheTrailingWindow_AndJudges()
    {
        var provider = Provider(JudgeEvaluatorTests.HighCanary, JudgeEvaluatorTests.HighBaseline);

        var result = await Check(provider, pass: false).MeasureAsync(Now);

        Assert.Equal((Verdict.Fail, JudgeEvaluator.CheckName), (result.Verdict, result.Name));
        Assert.Equal([("canary", Now - Window, Now, Step), ("baseline", Now - Window, Now, Step)], provider.RangeQueries);
    }

    [Fact]
    public async Task SeveralSeries_NoSeries_OrServerWarnings_AreInconclusive()
    {
        var several = await Check(Provider(JudgeEvaluatorTests.PassCanary, JudgeEvaluatorTests.PassBaseline, [1, 2, 3, 4, 5])).MeasureAsync(Now);
        Assert.Equal(Verdict.Inconclusive, several.Verdict);
        Assert.Contains("The canary query returned 2 series where one was expected", several.Reason, StringComparison.Ordinal);

        var none = new SeriesMetricProvider(new Dictionary<string, double[][]> { ["canary"] = [], ["baseline"] = [JudgeEvaluatorTests.PassBaseline] });
        Assert.Equal(Verdict.Inconclusive, (await Check(none).MeasureAsync(Now)).Verdict);

        var partial = new SeriesMetricProvider(new Dictionary<string, double[][]> { ["canary"] = [JudgeEvaluatorTests.PassCanary], ["baseline"] = [JudgeEvaluatorTests.PassBaseline] }) { Warnings = ["store eu-1 did not answer"] };
        var withWarnings = await Check(partial).MeasureAsync(Now);
        Assert.Equal(Verdict.Inconclusive, withWarnings.Verdict);
        Assert.Contains("store eu-1 did not answer", withWarnings.Reason, StringComparison.Ordinal);
        var allowed = new JudgeCheck(partial, [new JudgeQuery(JudgeEvaluatorTests.PassConfig(), "canary", "baseline")], Window, Step, JudgeEvaluatorTests.Suite()) { AllowPartialResponses = true };
        Assert.Equal(Verdict.Pass, (await allowed.MeasureAsync(Now)).Verdict);
    }

    [Fact]
    public async Task ProviderErrors_Throw()
    {
        var provider = new SeriesMetricProvider(new Dictionary<string, double[][]>());

        await Assert.ThrowsAsync<MetricQueryException>(() => Check(provider).MeasureAsync(Now));
    }

    [Fact]
    public void DescribesItself_AndRejectsBadConfiguration()
    {
        var description = Check(Provider([1], [1])).Description;
        Assert.Equal((CheckSubject.MetricSeries, (TimeSpan?)Window, true, (int?)5), (description.Judges, description.Window, description.ComparesWithBaseline, description.MinimumDataPoints));
        Assert.Equal(50, new JudgeCheck(Provider([1], [1]), [new JudgeQuery(JudgeEvaluatorTests.PassConfig(), "canary", "baseline")], Window, Step).Description.MinimumDataPoints);

        var twice = new JudgeQuery(JudgeEvaluatorTests.PassConfig(), "canary", "baseline");
        Assert.Contains("Two judged metrics are named 'errors'", Assert.Throws<ArgumentException>(() => new JudgeCheck(Provider([1], [1]), [twice, twice], Window, Step)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new JudgeCheck(Provider([1], [1]), [], Window, Step));
        Assert.Throws<ArgumentException>(() => new JudgeQuery(new Canary.Analysis.Statistics.Judge.MetricConfig(), "canary", "baseline"));
    }

    [Theory]
    [InlineData(true, RolloutAction.Promote)]
    [InlineData(false, RolloutAction.Rollback)]
    public async Task InACanaryRollout_PromotesAPassingCanary_RollsBackAHighOne(bool pass, RolloutAction expected)
    {
        var provider = pass
            ? Provider(JudgeEvaluatorTests.PassCanary, JudgeEvaluatorTests.PassBaseline)
            : Provider(JudgeEvaluatorTests.HighCanary, JudgeEvaluatorTests.HighBaseline);
        var metric = new AnalysisMetric { Name = "judge", Check = Check(provider, pass), Interval = TimeSpan.FromMinutes(1), Count = 3 };
        var policy = new CanaryPolicy("judge", [CanaryStep.SetWeight(5), CanaryStep.Analysis("judge", metric)]);

        var decision = await RolloutRunner.RunAsync(policy, Now, TimeSpan.FromHours(1));

        Assert.Equal(expected, decision.Action);
    }
}
