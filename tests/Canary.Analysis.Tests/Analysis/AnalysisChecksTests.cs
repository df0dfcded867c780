using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

public sealed class AnalysisChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 15, 0, TimeSpan.Zero);

    private static FakeMetricProvider Scalar(params double[] values) => new(q => new MetricQueryResult(q, MetricResultType.Vector,
        values.Select((v, i) => new MetricSeries(new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, [new MetricSample(Now, v)])).ToList()));

    [Theory]
    [InlineData(0.995, Verdict.Pass)]
    [InlineData(0.97, Verdict.Fail)]
    public async Task QueryCheck_OnlyPassWhen_PassesOrFails(double value, Verdict expected)
    {
        var check = new QueryCheck("sr", Scalar(value), "x", Threshold.AtLeast(0.99));
        Assert.Equal(expected, (await check.MeasureAsync(Now)).Verdict);
    }

    [Theory]
    [InlineData(0.995, Verdict.Pass)]
    [InlineData(0.95, Verdict.Fail)]
    [InlineData(0.98, Verdict.Inconclusive)]
    public async Task QueryCheck_BothConditions_ArgoDecisionTable(double value, Verdict expected)
    {
        var check = new QueryCheck("sr", Scalar(value), "x", Threshold.AtLeast(0.99), new Threshold(ComparisonOperator.LessThan, 0.97));
        Assert.Equal(expected, (await check.MeasureAsync(Now)).Verdict);
    }

    [Fact]
    public async Task QueryCheck_FailConditionWinsWhenBothMet()
    {
        var check = new QueryCheck("x", Scalar(5), "x", Threshold.AtLeast(1), Threshold.AtLeast(3));
        Assert.Equal(Verdict.Fail, (await check.MeasureAsync(Now)).Verdict);
    }

    [Fact]
    public async Task QueryCheck_NaNEmptyAndAmbiguous_AreInconclusiveNeverPassOrFail()
    {
        Assert.Equal(Verdict.Inconclusive, (await new QueryCheck("x", Scalar(double.NaN), "x", Threshold.AtLeast(0.99)).MeasureAsync(Now)).Verdict);
        var empty = await new QueryCheck("x", Scalar(), "x", Threshold.AtLeast(0.99)).MeasureAsync(Now);
        Assert.Equal((Verdict.Inconclusive, "No data: the query returned no sample."), (empty.Verdict, empty.Reason));
        var ambiguous = await new QueryCheck("x", Scalar(1, 2), "x", Threshold.AtLeast(0.99)).MeasureAsync(Now);
        Assert.Equal(Verdict.Inconclusive, ambiguous.Verdict);
        Assert.Contains("2 series", ambiguous.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ResultReducer.Sum, 6)]
    [InlineData(ResultReducer.Min, 1)]
    [InlineData(ResultReducer.Max, 3)]
    [InlineData(ResultReducer.Mean, 2)]
    public async Task QueryCheck_Reducers(ResultReducer reducer, double expected)
    {
        var check = new QueryCheck("x", Scalar(1, 2, 3), "x", Threshold.AtLeast(0)) { Reducer = reducer };
        Assert.Equal(expected, (await check.MeasureAsync(Now)).Value);
    }

    [Fact]
    public void QueryCheck_WithoutCondition_CannotBeBuilt() =>
        Assert.Contains("needs a condition", Assert.Throws<ArgumentException>(() => new QueryCheck("x", Scalar(1), "x", null)).Message, StringComparison.Ordinal);

    [Fact]
    public void Threshold_NonFinite_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.AtLeast(double.NaN));

    [Fact]
    public async Task SuccessRateCheck_ReadsTheTrailingWindowEndingNow()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, Now, ("/a", "200", 99), ("/a", "500", 1)));
        var check = new SuccessRateCheck(new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet), LabelSelector.Parse("version=\"canary\""), TimeSpan.FromMinutes(5), new SuccessRateCriteria());

        var result = await check.MeasureAsync(Now);

        Assert.Equal((Verdict.Pass, 0.99), (result.Verdict, result.Value));
        Assert.Equal(Now, Assert.Single(provider.Queries).Time);
        Assert.Contains("[300s]", provider.Queries[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public void LatencyCheck_RelativeWithoutBaselineSelector_Rejected() =>
        Assert.Equal("baseline", Assert.Throws<ArgumentException>(() => new LatencyCheck(
            new PrometheusTrafficSource(Scalar(), TrafficConvention.PrometheusNet), LabelSelector.Empty, TimeSpan.FromMinutes(5), new LatencyCriteria { MaximumIncrease = 0.1 })).ParamName);

    [Fact]
    public async Task AnalysisRun_ProviderErrorsBecomeErrorMeasurements()
    {
        var failing = new FakeMetricProvider(q => throw new MetricQueryException(q, MetricQueryErrorKind.Transport, "connection refused"));
        var run = new AnalysisRun([new AnalysisMetric { Name = "q", Check = new QueryCheck("q", failing, "up", Threshold.AtLeast(1)) }], Now);

        await run.TickAsync(Now);

        var last = run.Metrics[0].Last!;
        Assert.Equal(MeasurementPhase.Error, last.Phase);
        Assert.Contains("connection refused", last.Reason, StringComparison.Ordinal);
        Assert.Equal(AnalysisPhase.Running, run.Phase);
        Assert.Equal(Now.AddSeconds(10), run.NextMeasurementAt);
    }
}
