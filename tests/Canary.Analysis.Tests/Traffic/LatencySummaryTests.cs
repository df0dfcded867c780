using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class LatencySummaryTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quantile_OnlyThePrecomputedOnes_OthersNaN()
    {
        var summary = new LatencySummary([(0.99, 0.8), (0.5, 0.1), (0.9, 0.4)], count: 200, sum: 30);

        Assert.Equal([(0.5, 0.1), (0.9, 0.4), (0.99, 0.8)], summary.Quantiles);
        Assert.Equal(0.4, summary.Quantile(0.9));
        Assert.True(double.IsNaN(summary.Quantile(0.95)));
        Assert.Equal(0.15, summary.Mean, 12);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_QuantileOutOfRange_Throws(double q) =>
        Assert.Throws<ArgumentException>(() => new LatencySummary([(q, 1)], 1, 1));

    [Fact]
    public void Constructor_DuplicateQuantile_Throws() =>
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new LatencySummary([(0.5, 1), (0.5, 2)], 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public async Task PrometheusTrafficSource_SummaryConvention_ReadsQuantilesSumAndCount_InSeconds()
    {
        var convention = new TrafficConvention
        {
            RequestCountMetric = "rpc_requests_total",
            EndpointLabel = "method",
            StatusLabel = "code",
            LatencySummaryMetric = "rpc_duration_milliseconds",
            LatencyUnit = LatencyUnit.Milliseconds,
        };
        MetricQueryResult Vector(string q, params (Dictionary<string, string> Labels, double Value)[] rows) =>
            new(q, MetricResultType.Vector, rows.Select(r => new MetricSeries(r.Labels, [new MetricSample(End, r.Value)])).ToList());
        var provider = new FakeMetricProvider(q => q switch
        {
            _ when q.StartsWith("max by (method, quantile)", StringComparison.Ordinal) => Vector(q,
                (new() { ["method"] = "Get", ["quantile"] = "0.5" }, 20),
                (new() { ["method"] = "Get", ["quantile"] = "0.99" }, 250)),
            _ when q.Contains("_sum", StringComparison.Ordinal) => Vector(q, (new() { ["method"] = "Get" }, 4000)),
            _ when q.Contains("_count", StringComparison.Ordinal) => Vector(q, (new() { ["method"] = "Get" }, 100)),
            _ => Vector(q, (new() { ["method"] = "Get", ["code"] = "200" }, 100)),
        });
        var source = new PrometheusTrafficSource(provider, convention);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(15)) { IncludeLatency = true };

        var snapshot = await source.ReadAsync(query);

        Assert.Equal("max by (method, quantile) (rpc_duration_milliseconds{version=\"canary\"})", source.BuildLatencySummaryQuantileQuery(query));
        Assert.Equal(4, provider.Queries.Count);
        var summary = snapshot.Endpoints["Get"].LatencySummary!;
        Assert.Null(snapshot.Endpoints["Get"].Latency);
        Assert.Equal((0.25, 0.04), (summary.Quantile(0.99), summary.Mean));

        var pass = LatencyEvaluator.Evaluate(snapshot, new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(300) });
        var fail = LatencyEvaluator.Evaluate(snapshot, new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(200) });
        var missing = LatencyEvaluator.Evaluate(snapshot, new LatencyCriteria { Quantile = 0.95, MaximumLatency = TimeSpan.FromSeconds(1) });
        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(Verdict.Inconclusive, missing.Verdict);
        Assert.Equal("Not enough evidence: Get (its summary has no p95).", missing.Reason);
    }
}
