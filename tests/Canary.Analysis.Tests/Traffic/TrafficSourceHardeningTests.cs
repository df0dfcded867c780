using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Flurl.Http.Testing;

namespace Canary.Analysis.Tests.Traffic;

/// <summary>Partial responses become gaps; counts a double cannot hold exactly are no usable data.</summary>
public sealed class TrafficSourceHardeningTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static TrafficQuery Query(bool latency = false) => new(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(5)) { IncludeLatency = latency };

    [Fact]
    public async Task Prometheus_Warnings_BecomePartialResponseGaps_InfosDoNot()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector, [], ["partial response: store gateway eu-1 unavailable", "PromQL info: x"]) { Infos = ["PromQL info: x"] });
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var snapshot = await source.ReadAsync(Query());

        Assert.Equal(["partial response: store gateway eu-1 unavailable", "PromQL info: x"], snapshot.Warnings);
        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.PartialResponse, gap.Kind);
        Assert.Contains("store gateway eu-1 unavailable", gap.Description, StringComparison.Ordinal);
        Assert.Contains(provider.Queries[0].Query, gap.Description, StringComparison.Ordinal);
        Assert.False(snapshot.IsComplete);
    }

    [Fact]
    public async Task Prometheus_NoWarnings_NoGaps()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 10)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query(latency: true));

        Assert.True(snapshot.IsComplete);
    }

    [Fact]
    public async Task Prometheus_WarningOnTheLatencyQueryOnly_IsAGap()
    {
        var provider = new FakeMetricProvider(q => q.Contains("_bucket", StringComparison.Ordinal)
            ? new MetricQueryResult(q, MetricResultType.Vector, [], ["partial response"])
            : FakeMetricProvider.Vector(q, End, ("/a", "200", 10)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query(latency: true));

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Contains("_bucket", gap.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ThroughTheProvider_PartialResponseBodyGivesAGap()
    {
        using var http = new HttpTest();
        http.RespondWith("""
            {"status":"success","warnings":["partial response: 1 of 3 stores failed"],"infos":["PromQL info: metric might not be a counter"],
             "data":{"resultType":"vector","result":[{"metric":{"endpoint":"/a","code":"200"},"value":[1767268800,"12"]}]}}
            """);
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri("http://prometheus.test") });

        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.Equal(12d, snapshot.Endpoints["/a"].Requests);
        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.PartialResponse, gap.Kind);
        Assert.Contains("1 of 3 stores failed", gap.Description, StringComparison.Ordinal);
        Assert.Equal(2, snapshot.Warnings.Count);
    }

    [Theory]
    [InlineData(9007199254740992d)] // 2^53: may be 2^53 + 1 rounded
    [InlineData(9007199254740994d)]
    [InlineData(1.8446744073709552e19)] // 2^64, a saturated uint64
    [InlineData(1e300)]
    public async Task Prometheus_CountAtOrBeyond2To53_IsNoUsableData(double value)
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", value), ("/a", "500", 1), ("/b", "200", 5)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.False(snapshot.Endpoints["/a"].HasValidCounts);
        Assert.True(double.IsNaN(snapshot.Endpoints["/a"].SuccessRate));
        Assert.Equal(5d, snapshot.Endpoints["/b"].Requests);
        Assert.Contains(snapshot.Warnings, w => w.Contains("'/a'", StringComparison.Ordinal) && w.Contains("2^53", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_CountJustBelow2To53_IsKept()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 9007199254740991d)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.Equal(9007199254740991d, snapshot.Endpoints["/a"].Requests);
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public async Task Prometheus_CountsOfOneClassAddingUpTo2To53_AreNoUsableData()
    {
        var provider = new FakeMetricProvider(q => FakeMetricProvider.Vector(q, End, ("/a", "200", 9007199254740990d), ("/a", "201", 9007199254740990d)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.False(snapshot.Endpoints["/a"].HasValidCounts);
        Assert.Contains(snapshot.Warnings, w => w.Contains("add up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_ThroughTheProvider_HugeCountTextIsNoUsableData()
    {
        using var http = new HttpTest();
        http.RespondWith("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"endpoint":"/a","code":"200"},"value":[1767268800,"9007199254740993"]},
              {"metric":{"endpoint":"/a","code":"500"},"value":[1767268800,"1"]}]}}
            """);
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri("http://prometheus.test") });

        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.False(snapshot.Endpoints["/a"].HasValidCounts);
    }

    [Fact]
    public async Task Prometheus_BucketCountBeyond2To53_NoLatencyForTheEndpoint()
    {
        var provider = new FakeMetricProvider(q => q.Contains("_bucket", StringComparison.Ordinal)
            ? new MetricQueryResult(q, MetricResultType.Vector, [
                new MetricSeries(new Dictionary<string, string> { ["endpoint"] = "/a", ["le"] = "0.1" }, [new MetricSample(End, 3)]),
                new MetricSeries(new Dictionary<string, string> { ["endpoint"] = "/a", ["le"] = "+Inf" }, [new MetricSample(End, 1e17)])])
            : FakeMetricProvider.Vector(q, End, ("/a", "200", 10)));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query(latency: true));

        Assert.Null(snapshot.Endpoints["/a"].Latency);
        Assert.Contains(snapshot.Warnings, w => w.Contains("no usable latency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_SeriesWithoutFloatSample_IsNoUsableData()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector, [
            new MetricSeries(new Dictionary<string, string> { ["endpoint"] = "/a", ["code"] = "200" }, [new MetricSample(End, 10)]),
            new MetricSeries(new Dictionary<string, string> { ["endpoint"] = "/a", ["code"] = "500" }, [])]));
        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet).ReadAsync(Query());

        Assert.False(snapshot.Endpoints["/a"].HasValidCounts);
        Assert.Contains(snapshot.Warnings, w => w.Contains("no float sample", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_DuplicateSeriesBody_ThrowsInvalidResponseThroughTheSource()
    {
        using var http = new HttpTest();
        http.RespondWith("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"endpoint":"/a","code":"200"},"value":[1767268800,"5"]},
              {"metric":{"endpoint":"/a","code":"200"},"value":[1767268800,"5"]}]}}
            """);
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri("http://prometheus.test") });
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => source.ReadAsync(Query()));

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(source.BuildRequestQuery(Query()), ex.Query);
    }

    [Theory]
    [InlineData("9007199254740992", "1")]
    [InlineData("100", "1e300")]
    [InlineData("1.8446744073709552e19", "0")]
    public async Task Datadog_CountAtOrBeyond2To53_IsNoUsableData(string hits, string errors)
    {
        using var http = new HttpTest();
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.hits{*").RespondWith(Scalar(hits));
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.errors{*").RespondWith(Scalar(errors));
        using var provider = new DatadogMetricProvider(new DatadogOptions { ApiKey = "k", ApplicationKey = "a" });
        var source = new DatadogTrafficSource(provider, new DatadogTraceConvention { Service = "web" });

        var snapshot = await source.ReadAsync(Query());

        Assert.False(snapshot.Endpoints["GET /pay"].HasValidCounts);
        Assert.Contains(snapshot.Warnings, w => w.Contains("2^53", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Datadog_ErrorsBesideData_AreABackendErrorNotAPartialPass()
    {
        using var http = new HttpTest();
        http.RespondWith("""{"data":{"type":"scalar_response","attributes":{"columns":[{"name":"resource_name","type":"group","values":[["GET /pay"]]},{"name":"a","type":"number","values":[10]}]}},"errors":"partial failure: shard 3 timed out"}""");
        using var provider = new DatadogMetricProvider(new DatadogOptions { ApiKey = "k", ApplicationKey = "a" });
        var source = new DatadogTrafficSource(provider, new DatadogTraceConvention { Service = "web" });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => source.ReadAsync(Query()));

        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Contains("shard 3", ex.Message, StringComparison.Ordinal);
    }

    private static string Scalar(string value) =>
        """{"data":{"type":"scalar_response","attributes":{"columns":[{"name":"resource_name","type":"group","values":[["GET /pay"]]},{"name":"a","type":"number","values":[""" + value + "]}]}}}";
}
