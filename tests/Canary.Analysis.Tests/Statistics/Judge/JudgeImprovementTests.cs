using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>Our options on top of Kayenta's judge; each test shows Kayenta's result and ours.</summary>
public sealed class JudgeImprovementTests
{
    private static readonly MetricConfig Latency = new() { Name = "latency", Groups = ["latency"] };

    private static double[] Ramp(double start, int count, double step) => Enumerable.Range(0, count).Select(i => start + (i * step)).ToArray();

    [Fact]
    public void MagnitudeGate_TinyShiftRelativeToTheBaselineIsAPass()
    {
        double[] baseline = Ramp(1000, 30, 0.1);
        double[] canary = baseline.Select(v => v + 1.5).ToArray();
        Assert.Equal(MetricClassification.High, MetricClassifier.Classify(Latency, canary, baseline).Classification);

        MetricResult gated = MetricClassifier.Classify(Latency, canary, baseline, new JudgeOptions { MagnitudeGate = 0.01 });
        Assert.Equal(MetricClassification.Pass, gated.Classification);
        Assert.Contains("below 0.01 of the baseline mean", gated.Reason, StringComparison.Ordinal);

        double[] doubled = baseline.Select(v => v * 1.05).ToArray();
        Assert.Equal(MetricClassification.High, MetricClassifier.Classify(Latency, doubled, baseline, new JudgeOptions { MagnitudeGate = 0.01 }).Classification);
    }

    [Fact]
    public void Tolerance_IsConfigurable_Spinnaker6278IsHighWithToleranceZero()
    {
        double[] baseline = Enumerable.Repeat(1.0, 10).ToArray();
        double[] canary = [100, 100, 100, 100, 100, 100, 100, 1, 1, 1];
        Assert.Equal(MetricClassification.Pass, MetricClassifier.Classify(Latency, canary, baseline).Classification);
        Assert.Equal(MetricClassification.High, MetricClassifier.Classify(Latency, canary, baseline, new JudgeOptions { Tolerance = 0 }).Classification);
    }

    [Fact]
    public void ConfidenceLevel_IsConfigurable_AndReported()
    {
        double[] baseline = Ramp(10, 20, 1);
        double[] canary = Ramp(14, 20, 1);
        MetricResult k98 = MetricClassifier.Classify(Latency, canary, baseline);
        MetricResult k80 = MetricClassifier.Classify(Latency, canary, baseline, new JudgeOptions { ConfidenceLevel = 0.80 });
        Assert.Equal(0.98, k98.ConfidenceInterval.Level);
        Assert.Equal(0.80, k80.ConfidenceInterval.Level);
        Assert.True(k80.ConfidenceInterval.Lower > k98.ConfidenceInterval.Lower);
        Assert.Equal(MetricClassification.Pass, k98.Classification);
        Assert.Equal(MetricClassification.High, k80.Classification);
    }

    [Fact]
    public void MinimumSampleSize_TooFewValuesAreInconclusive_AndTheScoreCannotPass()
    {
        double[] baseline = [1.0, 1.1, 0.9];
        double[] canary = [1.0, 1.05, 0.95];
        Assert.Equal(MetricClassification.Pass, MetricClassifier.Classify(Latency, canary, baseline).Classification);

        MetricResult r = MetricClassifier.Classify(Latency, canary, baseline, new JudgeOptions { MinimumSampleSize = 50 });
        Assert.Equal(MetricClassification.Inconclusive, r.Classification);
        Assert.Contains("at least 50", r.Reason, StringComparison.Ordinal);
        Assert.False(double.IsNaN(r.PValue));

        MetricResult ok = new("errors", ["errors"], MetricClassification.Pass, "ok");
        CanaryScore score = CanaryScorer.Score([ok, r], new ScoreThresholds(95, 75));
        Assert.Equal(100, score.Score);
        Assert.Equal(ScoreClassification.Inconclusive, score.Classification);
        Assert.Contains("too few values", score.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimumSampleSize_AFailureStillFails_AndCriticalInconclusiveDoesNotZero()
    {
        MetricResult high = new("errors", ["errors"], MetricClassification.High, "High");
        MetricResult inconclusive = new("latency", ["latency"], MetricClassification.Inconclusive, "few", isCritical: true);
        CanaryScore score = CanaryScorer.Score([high, inconclusive], new ScoreThresholds(95, 75));
        Assert.Equal(100 / 2.0, score.Score);
        Assert.Equal(ScoreClassification.Fail, score.Classification);
    }

    [Fact]
    public void NoDataUnderReplace_EmptyReplacedSeriesIsNoData_NotPass()
    {
        var metric = new MetricConfig { Name = "errors", NanStrategy = NanStrategy.Replace, MustHaveData = true };
        Assert.Equal(MetricClassification.Pass, MetricClassifier.Classify(metric, [], []).Classification);
        Assert.Equal(MetricClassification.NoDataFail, MetricClassifier.Classify(metric, [], [], new JudgeOptions { NoDataUnderReplace = true }).Classification);
    }

    [Fact]
    public void ConstantSeries_AreDeterministic_NoNoise()
    {
        double[] canary = Enumerable.Repeat(0.0333, 30).ToArray();
        double[] baseline = Enumerable.Repeat(0.0332, 30).ToArray();
        MetricResult first = MetricClassifier.Classify(Latency, canary, baseline);
        for (int i = 0; i < 5; i++)
        {
            MetricResult again = MetricClassifier.Classify(Latency, canary, baseline);
            Assert.Equal(first.Estimate, again.Estimate);
            Assert.Equal(first.ConfidenceInterval, again.ConfidenceInterval);
            Assert.Equal(first.Classification, again.Classification);
        }

        Assert.Equal(MetricClassification.High, first.Classification);
        Assert.Equal(0.0333 - 0.0332, first.Estimate, 15);
    }

    [Fact]
    public void EveryComparedResultCarriesAnRExactPValue()
    {
        // R: wilcox.test(c(20, 22, 21, 25, 30), c(1, 2.2, 1.1, 2.5, 3))$p.value == 2/252 (exact, no ties).
        MetricResult r = MetricClassifier.Classify(Latency, [20.0, 22.0, 21.0, 25.0, 30.0], [1.0, 2.2, 1.1, 2.5, 3.0]);
        Assert.Equal(2.0 / 252, r.PValue, 12);
    }

    [Fact]
    public void InvalidOptions_NameTheFieldAndValue()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => MetricClassifier.Classify(Latency, [1.0], [2.0], new JudgeOptions { ConfidenceLevel = 1.5 }));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("ConfidenceLevel", e.Message, StringComparison.Ordinal);
        Assert.Contains("1.5", e.Message, StringComparison.Ordinal);

        ArgumentException m = Assert.Throws<ArgumentException>(() => MetricClassifier.Classify(new MetricConfig { Name = "p99", AllowedIncrease = double.NaN }, [1.0], [2.0]));
        Assert.Contains("'p99'", m.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedIncrease", m.Message, StringComparison.Ordinal);
    }
}
