using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

/// <summary><see cref="TrafficCounting.CounterDifference"/>: one range-selector query, exact per-series differences summed by endpoint and class.</summary>
public sealed class PrometheusTrafficSourceCounterDifferenceTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public void BuildRequestQuery_CounterDifference_RangeSelectorOverWindowPlusLookback()
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), TrafficConvention.PrometheusNet);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End.AddTicks(4_321), TimeSpan.FromSeconds(60.5)) { Counting = TrafficCounting.CounterDifference };

        Assert.Equal("http_request_duration_seconds_count{version=\"canary\"}[360500ms]", source.BuildRequestQuery(query));
    }

    [Fact]
    public async Task ReadAsync_CounterDifference_FromLastSampleAtOrBeforeStart_ResetsAndNewSeries_SummedPerEndpoint()
    {
        var start = End.AddMinutes(-1);
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Matrix,
        [
            // Boundary sample exactly at the start (belongs to the previous window), then +7 and +5.
            Series("/pay", "200", "p1", (start.AddSeconds(-15), 90), (start, 100), (start.AddSeconds(15), 107), (start.AddSeconds(45), 112)),
            // Another pod of the same endpoint: a reset (30 → 4) counts the 4 after it.
            Series("/pay", "201", "p2", (start.AddSeconds(-10), 20), (start.AddSeconds(5), 30), (start.AddSeconds(20), 4)),
            // An error series that appeared inside the window: counted from 0.
            Series("/pay", "500", "p1", (start.AddSeconds(30), 2), (start.AddSeconds(45), 3)),
            // A series that stopped before the window: nothing.
            Series("/old", "200", "p3", (start.AddMinutes(-3), 50)),
        ]));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1)) { Counting = TrafficCounting.CounterDifference });

        var (query, time) = Assert.Single(provider.Queries);
        Assert.Equal("http_request_duration_seconds_count{}[360s]", query);
        Assert.Equal(End, time);
        var pay = snapshot.Endpoints["/pay"];
        Assert.Equal(12 + 10 + 4 + 3, pay.Requests);
        Assert.Equal(3, pay.Failures);
        Assert.Equal(0, snapshot.Endpoints["/old"].Requests);
        Assert.Contains(snapshot.Warnings, w => w.Contains("1 counter reset", StringComparison.Ordinal));
        Assert.True(snapshot.IsComplete);
    }

    [Fact]
    public async Task ReadAsync_CounterDifference_InvalidSample_EndpointHasNoUsableData()
    {
        var start = End.AddMinutes(-1);
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Matrix,
            [Series("/pay", "200", "p1", (start.AddSeconds(-5), 1), (start.AddSeconds(10), double.NaN))]));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1)) { Counting = TrafficCounting.CounterDifference });

        Assert.False(snapshot.Endpoints["/pay"].HasValidCounts);
        Assert.Contains(snapshot.Warnings, w => w.Contains("not a valid count", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_CounterDifference_VectorAnswer_IsAnInvalidResponse()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/pay", "200", 5)));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() =>
            source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1)) { Counting = TrafficCounting.CounterDifference }));
        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
    }

    private static MetricSeries Series(string endpoint, string code, string pod, params (DateTimeOffset Time, double Value)[] samples) =>
        new(new Dictionary<string, string> { ["__name__"] = "http_request_duration_seconds_count", ["endpoint"] = endpoint, ["code"] = code, ["pod"] = pod },
            [.. samples.Select(s => new MetricSample(s.Time, s.Value))]);
}
