using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>Kayenta's <c>ScorerSuite.scala</c> (<c>WeightedSumScorer</c>, kayenta.md §5.3).</summary>
public sealed class KayentaScorerSuiteTests
{
    private static readonly ScoreThresholds Thresholds = new(95, 75);

    private static MetricResult M(string group, MetricClassification label, bool critical = false) =>
        new("m-" + group + "-" + label, [group], label, label.ToString(), critical);

    private static CanaryScore Score(Dictionary<string, double>? weights, params MetricResult[] results) =>
        CanaryScorer.Score(results, Thresholds, weights);

    [Fact]
    public void ScorerSuite_1_SinglePass() => Assert.Equal(100.0, Score(null, M("g", MetricClassification.Pass)).Score);

    [Fact]
    public void ScorerSuite_2_SingleHigh() => Assert.Equal(0.0, Score(null, M("g", MetricClassification.High)).Score);

    [Fact]
    public void ScorerSuite_3_SingleNoData()
    {
        CanaryScore s = Score(null, M("g", MetricClassification.NoData));
        Assert.Equal(0.0, s.Score);
        Assert.Equal(0.0, Assert.Single(s.Groups).Score);
        Assert.Equal(ScoreClassification.Fail, s.Classification);
    }

    [Fact]
    public void ScorerSuite_4_NoDataGroupCountsAsFullMarks()
    {
        CanaryScore s = Score(null, M("p", MetricClassification.Pass), M("p", MetricClassification.Pass), M("n", MetricClassification.NoData));
        Assert.Equal(100.0, s.Score);
        Assert.Equal([0.0, 100.0], s.Groups.Select(g => g.Score).Order().ToArray());
    }

    [Fact]
    public void ScorerSuite_5_PassHigh() => Assert.Equal(50.0, Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.High)).Score);

    [Fact]
    public void ScorerSuite_6_PassHighLow() =>
        Assert.Equal(33.33, Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.High), M("g", MetricClassification.Low)).Score);

    [Fact]
    public void ScorerSuite_7_Weighted() =>
        Assert.Equal(75.0, Score(new() { ["g1"] = 75, ["g2"] = 25 }, M("g1", MetricClassification.Pass), M("g1", MetricClassification.Pass), M("g2", MetricClassification.High)).Score);

    [Fact]
    public void ScorerSuite_8_WeightedHalf() =>
        Assert.Equal(25.0, Score(new() { ["g1"] = 50, ["g2"] = 50 }, M("g1", MetricClassification.Pass), M("g1", MetricClassification.High), M("g2", MetricClassification.High)).Score);

    [Fact]
    public void ScorerSuite_9_NoDataIsNotCounted() =>
        Assert.Equal(50.0, Score(new() { ["g1"] = 50, ["g2"] = 50 }, M("g1", MetricClassification.Pass), M("g1", MetricClassification.NoData), M("g2", MetricClassification.High)).Score);

    [Fact]
    public void ScorerSuite_10_CriticalHighZeroes()
    {
        CanaryScore s = Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.High, critical: true));
        Assert.Equal(0.0, s.Score);
        Assert.StartsWith("Canary Failed: ", s.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ScorerSuite_11_CriticalPassDoesNotZero() =>
        Assert.Equal(50.0, Score(null, M("g", MetricClassification.Low), M("g", MetricClassification.Pass, critical: true)).Score);

    [Fact]
    public void ScorerSuite_12_CriticalNoDataZeroes() =>
        Assert.Equal(0.0, Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.NoData, critical: true)).Score);

    [Fact]
    public void ScorerSuite_13_UnevenWeights() =>
        Assert.Equal(
            5.0,
            Score(new() { ["g1"] = 15, ["g2"] = 85 }, M("g1", MetricClassification.High), M("g1", MetricClassification.Low), M("g1", MetricClassification.Pass), M("g2", MetricClassification.High)).Score);

    [Fact]
    public void MutedMetricsAreLeftOut_ButReported()
    {
        MetricResult muted = new("muted", ["g"], MetricClassification.High, "High", isCritical: true, isMuted: true);
        CanaryScore s = CanaryScorer.Score([M("g", MetricClassification.Pass), muted], Thresholds);
        Assert.Equal(100.0, s.Score);
        Assert.Equal(2, s.Metrics.Count);
    }

    [Fact]
    public void AMetricCountsInEveryGroupItLists()
    {
        MetricResult both = new("both", ["a", "b"], MetricClassification.High, "High");
        CanaryScore s = CanaryScorer.Score([both, M("a", MetricClassification.Pass)], Thresholds);
        Assert.Equal((50.0 * 0.5) + (0.0 * 0.5), s.Score);
    }

    [Fact]
    public void NoDataFailCountsAsAFailure() =>
        Assert.Equal(50.0, Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.NoDataFail)).Score);

    [Fact]
    public void ErrorIsNotCounted() =>
        Assert.Equal(100.0, Score(null, M("g", MetricClassification.Pass), M("g", MetricClassification.Error)).Score);

    [Theory]
    [InlineData(95.0, ScoreClassification.Pass)]
    [InlineData(94.99, ScoreClassification.Marginal)]
    [InlineData(75.0, ScoreClassification.Marginal)]
    [InlineData(74.99, ScoreClassification.Fail)]
    public void ThresholdScoreClassifier(double score, ScoreClassification expected) =>
        Assert.Equal(expected, Thresholds.Classify(score));

    [Fact]
    public void Thresholds_AreValidated_NamingTheField()
    {
        Assert.Equal("pass", Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreThresholds(101, 75)).ParamName);
        Assert.Equal("marginal", Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreThresholds(90, 95)).ParamName);
        Assert.Equal("marginal", Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreThresholds(90, double.NaN)).ParamName);
    }

    [Fact]
    public void NegativeGroupWeight_IsRejectedNamingTheGroup()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Score(new() { ["latency"] = -1 }, M("g", MetricClassification.Pass)));
        Assert.Contains("'latency'", e.Message, StringComparison.Ordinal);
    }
}
