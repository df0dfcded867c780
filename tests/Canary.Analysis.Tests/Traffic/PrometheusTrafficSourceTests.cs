using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

public sealed class PrometheusTrafficSourceTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public void BuildRequestQuery_PrometheusNet_OneGroupedQuery()
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), TrafficConvention.PrometheusNet);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\",pod=~\"web-.*\""), End, TimeSpan.FromMinutes(15));

        Assert.Equal(
            "sum by (endpoint, code) (increase(http_request_duration_seconds_count{version=\"canary\",pod=~\"web-.*\"}[900s]))",
            source.BuildRequestQuery(query));
    }

    [Fact]
    public void BuildRequestQuery_ExpressAndSubSecondWindow()
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), TrafficConvention.ExpressPromBundle);
        var query = new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMilliseconds(90_500));

        Assert.Equal("sum by (path, status_code) (increase(http_request_duration_seconds_count{}[90500ms]))", source.BuildRequestQuery(query));
    }

    [Fact]
    public void BuildRequestQuery_NoEndpointLabel_GroupsByStatusOnly()
    {
        var convention = new TrafficConvention { RequestCountMetric = "requests_total", StatusLabel = "status" };
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), convention);

        Assert.Equal("sum by (status) (increase(requests_total{}[60s]))", source.BuildRequestQuery(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public async Task ReadAsync_GroupsStatusesIntoClassesPerEndpoint_WithOneQueryAtTheWindowEnd()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End,
            ("/pay", "200", 90), ("/pay", "201", 5), ("/pay", "503", 4), ("/pay", "404", 1),
            ("/search", "2xx", 1000), ("/search", "5xx", 10),
            ("/rare", "500", 3)));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(15)));

        var call = Assert.Single(provider.Queries);
        Assert.Equal(End, call.Time);
        Assert.Equal(3, snapshot.Endpoints.Count);
        var pay = snapshot.Endpoints["/pay"];
        Assert.Equal((100d, 95d, 5d), (pay.Requests, pay.Successes, pay.Failures));
        Assert.Equal((95d, 4d, 1d), (pay[StatusClass.Success], pay[StatusClass.ServerError], pay[StatusClass.ClientError]));
        Assert.Equal((1010d, 1000d), (snapshot.Endpoints["/search"].Requests, snapshot.Endpoints["/search"].Successes));
        Assert.Equal((3d, 0d), (snapshot.Endpoints["/rare"].Requests, snapshot.Endpoints["/rare"].Successes));
        Assert.Equal(1113d, snapshot.TotalRequests);
        Assert.Equal(1095d / 1113d, snapshot.AggregateSuccessRate, 12);
        Assert.Equal((End, TimeSpan.FromMinutes(15)), (snapshot.End, snapshot.Window));
    }

    [Fact]
    public async Task ReadAsync_Non5xxRule_CountsClientErrorsAsSuccesses()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 8), ("/a", "404", 1), ("/a", "500", 1)));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet with { SuccessRule = SuccessRule.Non5xx });

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.Equal(9d, snapshot.Endpoints["/a"].Successes);
    }

    [Fact]
    public async Task ReadAsync_NaNValue_MarksEndpointUnusableAndWarns()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 10), ("/a", "500", double.NaN), ("/b", "200", 5)));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.False(snapshot.Endpoints["/a"].HasValidCounts);
        Assert.True(double.IsNaN(snapshot.Endpoints["/a"].SuccessRate));
        Assert.True(snapshot.Endpoints["/b"].HasValidCounts);
        Assert.Contains(snapshot.Warnings, w => w.Contains("'/a'", StringComparison.Ordinal) && w.Contains("'500'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_EmptyResult_GivesEmptySnapshot()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector, []));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.Empty(snapshot.Endpoints);
        Assert.True(double.IsNaN(snapshot.AggregateSuccessRate));
    }

    [Fact]
    public async Task ReadAsync_ScalarResult_ThrowsInvalidResponseNamingTheQuery()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Scalar, [new MetricSeries(new Dictionary<string, string>(), [new MetricSample(End, 1)])]));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5))));

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("increase(http_request_duration_seconds_count{}[300s])", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ProviderWarnings_AreKept()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector, [], ["partial response"]));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.Equal(["partial response"], snapshot.Warnings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void TrafficQuery_NonPositiveWindow_Throws(long ms) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void TrafficQuery_SubMillisecondWindow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromTicks(15_000)));

    [Fact]
    public void Constructor_InvalidConvention_Throws() =>
        Assert.Throws<ArgumentException>(() => new PrometheusTrafficSource(
            new FakeMetricProvider(_ => throw new InvalidOperationException()),
            new TrafficConvention { RequestCountMetric = "x{y=\"z\"}", StatusLabel = "code" }));
}

public sealed class PrometheusTrafficSourceLatencyTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 30, 0, TimeSpan.Zero);

    private static MetricQueryResult Vector(string query, params (Dictionary<string, string> Labels, double Value)[] rows) =>
        new(query, MetricResultType.Vector, rows.Select(r => new MetricSeries(r.Labels, [new MetricSample(End, r.Value)])).ToList());

    [Fact]
    public void BuildLatencyQueries_GroupByEndpointAndLe()
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), TrafficConvention.PrometheusNet);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(15)) { IncludeLatency = true };

        Assert.Equal("sum by (endpoint, le) (increase(http_request_duration_seconds_bucket{version=\"canary\"}[900s]))", source.BuildLatencyBucketQuery(query));
        Assert.Equal("sum by (endpoint) (increase(http_request_duration_seconds_sum{version=\"canary\"}[900s]))", source.BuildLatencySumQuery(query));
    }

    [Fact]
    public async Task ReadAsync_WithLatency_ThreeQueriesAndMillisecondsNormalised()
    {
        var convention = new TrafficConvention
        {
            RequestCountMetric = "istio_requests_total",
            EndpointLabel = "request_path",
            StatusLabel = "response_code",
            LatencyHistogramMetric = "istio_request_duration_milliseconds",
            LatencyUnit = LatencyUnit.Milliseconds,
        };
        var provider = new FakeMetricProvider(q => q switch
        {
            _ when q.Contains("_bucket", StringComparison.Ordinal) => Vector(q,
                (new() { ["request_path"] = "/a", ["le"] = "100" }, 8),
                (new() { ["request_path"] = "/a", ["le"] = "500" }, 10),
                (new() { ["request_path"] = "/a", ["le"] = "+Inf" }, 10),
                (new() { ["request_path"] = "/a", ["le"] = "bogus" }, 3)),
            _ when q.Contains("_sum", StringComparison.Ordinal) => Vector(q, (new() { ["request_path"] = "/a" }, 1500)),
            _ => Vector(q, (new() { ["request_path"] = "/a", ["response_code"] = "200" }, 10)),
        });
        var source = new PrometheusTrafficSource(provider, convention);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(15)) { IncludeLatency = true });

        Assert.Equal(3, provider.Queries.Count);
        var latency = snapshot.Endpoints["/a"].Latency!;
        Assert.Equal([(0.1, 8d), (0.5, 10d), (double.PositiveInfinity, 10d)], latency.Buckets);
        Assert.Equal(0.15, latency.Mean, 12);
        Assert.Equal(0.1 + (0.4 * 0.5), latency.Quantile(0.9), 12);
        Assert.Contains(snapshot.Warnings, w => w.Contains("le=\"bogus\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_WithoutLatency_OneQueryAndNoHistograms()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 5)));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(15)));

        Assert.Single(provider.Queries);
        Assert.Null(snapshot.Endpoints["/a"].Latency);
    }

    [Fact]
    public async Task ReadAsync_LatencyWithoutHistogramInConvention_ThrowsNamingConvention()
    {
        var convention = new TrafficConvention { Name = "bare", RequestCountMetric = "requests_total", StatusLabel = "code", EndpointLabel = "route" };
        var source = new PrometheusTrafficSource(new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End)), convention);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(1)) { IncludeLatency = true }));
        Assert.Contains("'bare'", ex.Message, StringComparison.Ordinal);
    }
}
