using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

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
    public void TrafficQuery_SubMillisecondWindow_IsKeptExactly()
    {
        // A real clock's "time since the last look" has ticks; the query keeps them and sources align to their resolution.
        var query = new TrafficQuery(LabelSelector.Empty, End.AddTicks(1), TimeSpan.FromTicks(15_000));
        Assert.Equal(TimeSpan.FromTicks(15_000), query.Window);
        Assert.Equal(End.AddTicks(1 - 15_000), query.Start);
    }

    [Theory]
    [InlineData(0, 600_000_000, "60s")] // whole minutes: unchanged
    [InlineData(1, 600_000_000, "60s")] // both ends 1 tick past a millisecond: the same grid points
    [InlineData(1, 600_000_002, "60001ms")] // start 1 tick before a millisecond: its grid point is 1 ms earlier
    [InlineData(5_000, 599_990_001, "59999ms")] // ends at +0.5 ms and −59 998.5001 ms: (⌊start⌋, ⌊end⌋] is 59 999 ms
    [InlineData(1_234_567, 9_876_543, "988ms")]
    [InlineData(5_000, 3_000, "1ms")] // within one millisecond: the last millisecond, where increase() finds no pair of samples
    public void BuildRequestQuery_TickWindows_RangeOnPrometheusMillisecondGrid(long endTicks, long windowTicks, string range)
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), TrafficConvention.PrometheusNet);
        var query = new TrafficQuery(LabelSelector.Empty, End.AddTicks(endTicks), TimeSpan.FromTicks(windowTicks));
        Assert.Equal($"sum by (endpoint, code) (increase(http_request_duration_seconds_count{{}}[{range}]))", source.BuildRequestQuery(query));
    }

    [Fact]
    public async Task ReadAsync_JitteredLooks_WindowsTileTheMillisecondGridWithoutGapOrOverlap()
    {
        // A controller's timer: a look every second at a random sub-second offset, each reading the time since the last.
        var asked = new List<(string Query, DateTimeOffset Time)>();
        var provider = new RecordingProvider(asked);
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var random = new Random(20261202);
        var first = End.AddTicks(random.NextInt64(TimeSpan.TicksPerSecond));
        var last = first;
        long totalMs = 0;
        for (var i = 1; i <= 1000; i++)
        {
            var now = End.AddSeconds(i).AddTicks(random.NextInt64(TimeSpan.TicksPerSecond));
            _ = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, now, now - last));
            var match = System.Text.RegularExpressions.Regex.Match(asked[^1].Query, @"\[(\d+)(ms|s)\]");
            Assert.True(match.Success, asked[^1].Query);
            var ms = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * (match.Groups[2].Value == "s" ? 1000 : 1);
            Assert.InRange(ms, 1, 2000);
            totalMs += ms;
            Assert.Equal(now, asked[^1].Time);
            last = now;
        }

        // Prometheus evaluates at the end truncated to the millisecond: the ranges add up exactly to ⌊last⌋ − ⌊first⌋.
        Assert.Equal(last.ToUnixTimeMilliseconds() - first.ToUnixTimeMilliseconds(), totalMs);
    }

    private sealed class RecordingProvider(List<(string Query, DateTimeOffset Time)> asked) : IMetricProvider
    {
        public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default)
        {
            asked.Add((query, time));
            return Task.FromResult(new MetricQueryResult(query, MetricResultType.Vector, []));
        }

        public Task<MetricQueryResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

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
