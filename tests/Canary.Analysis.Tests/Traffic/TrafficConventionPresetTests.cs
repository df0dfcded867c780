using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Traffic;

/// <summary>The exact PromQL each preset renders, and how each preset's status values count.</summary>
public sealed class TrafficConventionPresetTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 30, 0, TimeSpan.Zero);

    private static readonly TrafficQuery Query = new(LabelSelector.Parse("app=\"web\""), End, TimeSpan.FromMinutes(5));

    public static TheoryData<string, string, string, string> RenderedQueries() => new()
    {
        {
            "PrometheusNet",
            "sum by (endpoint, code) (increase(http_request_duration_seconds_count{app=\"web\"}[300s]))",
            "sum by (endpoint, le) (increase(http_request_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by (endpoint) (increase(http_request_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "ExpressPromBundle",
            "sum by (path, status_code) (increase(http_request_duration_seconds_count{app=\"web\"}[300s]))",
            "sum by (path, le) (increase(http_request_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by (path) (increase(http_request_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "OpenTelemetry",
            "sum by (http_route, http_response_status_code) (increase(http_server_request_duration_seconds_count{app=\"web\"}[300s]))",
            "sum by (http_route, le) (increase(http_server_request_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by (http_route) (increase(http_server_request_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "Istio",
            "sum by (response_code) (increase(istio_requests_total{reporter=\"destination\",app=\"web\"}[300s]))",
            "sum by (le) (increase(istio_request_duration_milliseconds_bucket{reporter=\"destination\",app=\"web\"}[300s]))",
            "sum by () (increase(istio_request_duration_milliseconds_sum{reporter=\"destination\",app=\"web\"}[300s]))"
        },
        {
            "Linkerd",
            "sum by (classification) (increase(response_total{direction=\"inbound\",app=\"web\"}[300s]))",
            "sum by (le) (increase(response_latency_ms_bucket{direction=\"inbound\",app=\"web\"}[300s]))",
            "sum by () (increase(response_latency_ms_sum{direction=\"inbound\",app=\"web\"}[300s]))"
        },
        {
            "Envoy",
            "sum by (envoy_response_code) (increase(envoy_cluster_upstream_rq{app=\"web\"}[300s]))",
            "sum by (le) (increase(envoy_cluster_upstream_rq_time_bucket{app=\"web\"}[300s]))",
            "sum by () (increase(envoy_cluster_upstream_rq_time_sum{app=\"web\"}[300s]))"
        },
        {
            "NginxIngress",
            "sum by (path, status) (increase(nginx_ingress_controller_requests{app=\"web\"}[300s]))",
            "sum by (path, le) (increase(nginx_ingress_controller_response_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by (path) (increase(nginx_ingress_controller_response_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "Traefik",
            "sum by (code) (increase(traefik_service_request_duration_seconds_bucket{le=\"+Inf\",app=\"web\"}[300s]))",
            "sum by (le) (increase(traefik_service_request_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by () (increase(traefik_service_request_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "Skipper",
            "sum by (code) (increase(skipper_response_duration_seconds_bucket{le=\"+Inf\",app=\"web\"}[300s]))",
            "sum by (le) (increase(skipper_serve_route_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by () (increase(skipper_serve_route_duration_seconds_sum{app=\"web\"}[300s]))"
        },
        {
            "Apisix",
            "sum by (code) (increase(apisix_http_status{app=\"web\"}[300s]))",
            "sum by (le) (increase(apisix_http_latency_bucket{type=\"request\",app=\"web\"}[300s]))",
            "sum by () (increase(apisix_http_latency_sum{type=\"request\",app=\"web\"}[300s]))"
        },
        {
            "Osm",
            "sum by (response_code) (increase(osm_request_total{app=\"web\"}[300s]))",
            "sum by (le) (increase(osm_request_duration_ms_bucket{app=\"web\"}[300s]))",
            "sum by () (increase(osm_request_duration_ms_sum{app=\"web\"}[300s]))"
        },
        {
            "Kubernetes",
            "sum by (status) (increase(http_request_duration_seconds_count{app=\"web\"}[300s]))",
            "sum by (le) (increase(http_request_duration_seconds_bucket{app=\"web\"}[300s]))",
            "sum by () (increase(http_request_duration_seconds_sum{app=\"web\"}[300s]))"
        },
    };

    public static TheoryData<string, string, StatusClass, bool> StatusValues() => new()
    {
        { "PrometheusNet", "200", StatusClass.Success, true },
        { "PrometheusNet", "404", StatusClass.ClientError, false },
        { "PrometheusNet", "5xx", StatusClass.ServerError, false },
        { "OpenTelemetry", "204", StatusClass.Success, true },
        { "OpenTelemetry", "302", StatusClass.Redirection, false },
        { "OpenTelemetry", "503", StatusClass.ServerError, false },
        { "Istio", "200", StatusClass.Success, true },
        { "Istio", "404", StatusClass.ClientError, true },
        { "Istio", "503", StatusClass.ServerError, false },
        { "Istio", "0", StatusClass.Other, false },
        { "Linkerd", "success", StatusClass.Success, true },
        { "Linkerd", "failure", StatusClass.ServerError, false },
        { "Linkerd", "Failure", StatusClass.Other, false },
        { "Envoy", "200", StatusClass.Success, true },
        { "Envoy", "429", StatusClass.ClientError, true },
        { "Envoy", "504", StatusClass.ServerError, false },
        { "NginxIngress", "301", StatusClass.Redirection, true },
        { "NginxIngress", "499", StatusClass.ClientError, true },
        { "NginxIngress", "502", StatusClass.ServerError, false },
        { "Traefik", "200", StatusClass.Success, true },
        { "Traefik", "500", StatusClass.ServerError, false },
        { "Skipper", "404", StatusClass.ClientError, true },
        { "Skipper", "503", StatusClass.ServerError, false },
        { "Apisix", "200", StatusClass.Success, true },
        { "Apisix", "502", StatusClass.ServerError, false },
        { "Osm", "200", StatusClass.Success, true },
        { "Osm", "0", StatusClass.Other, false },
        { "Kubernetes", "201", StatusClass.Success, true },
        { "Kubernetes", "500", StatusClass.ServerError, false },
    };

    [Theory]
    [MemberData(nameof(RenderedQueries))]
    public void Preset_RendersExactPromQl(string preset, string requests, string buckets, string sums)
    {
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), Preset(preset));

        Assert.Equal(requests, source.BuildRequestQuery(Query));
        Assert.Equal(buckets, source.BuildLatencyBucketQuery(Query));
        Assert.Equal(sums, source.BuildLatencySumQuery(Query));
    }

    [Theory]
    [MemberData(nameof(StatusValues))]
    public void Preset_ClassifiesItsStatusValues(string preset, string value, StatusClass expectedClass, bool success)
    {
        var convention = Preset(preset);

        Assert.Equal(expectedClass, convention.ClassifyStatus(value));
        Assert.Equal(success, convention.IsSuccess(convention.ClassifyStatus(value)));
    }

    [Fact]
    public void EveryPreset_IsValidAndNamed()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in PresetNames)
        {
            var convention = Preset(name);
            convention.Validate();
            Assert.True(names.Add(convention.Name), $"duplicate preset name {convention.Name}");
            Assert.NotNull(convention.LatencyHistogramMetric);
        }
    }

    [Fact]
    public void MillisecondPresets_AreTheMeshes()
    {
        var ms = PresetNames.Where(n => Preset(n).LatencyUnit == LatencyUnit.Milliseconds).Order(StringComparer.Ordinal);

        Assert.Equal(["Apisix", "Envoy", "Istio", "Linkerd", "Osm"], ms);
    }

    [Fact]
    public async Task Linkerd_ReadsClassificationAsSuccessAndFailure()
    {
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector,
        [
            new MetricSeries(new Dictionary<string, string> { ["classification"] = "success" }, [new MetricSample(End, 95)]),
            new MetricSeries(new Dictionary<string, string> { ["classification"] = "failure" }, [new MetricSample(End, 5)]),
        ]));
        var source = new PrometheusTrafficSource(provider, TrafficConvention.Linkerd);

        var snapshot = await source.ReadAsync(Query);

        var all = Assert.Single(snapshot.Endpoints).Value;
        Assert.Equal(PrometheusTrafficSource.WholeServiceEndpoint, all.Endpoint);
        Assert.Equal((100d, 95d, 5d), (all.Requests, all.Successes, all[StatusClass.ServerError]));
        Assert.Equal("sum by (classification) (increase(response_total{direction=\"inbound\",app=\"web\"}[300s]))", Assert.Single(provider.Queries).Query);
    }

    [Fact]
    public void Istio_EndpointLabelIsConfigurable()
    {
        var perPath = TrafficConvention.Istio with { EndpointLabel = "request_path" };
        var source = new PrometheusTrafficSource(new FakeMetricProvider(_ => throw new InvalidOperationException()), perPath);

        Assert.Equal(
            "sum by (request_path, response_code) (increase(istio_requests_total{reporter=\"destination\",app=\"web\"}[300s]))",
            source.BuildRequestQuery(Query));
        Assert.Null(TrafficConvention.Istio.EndpointLabel);
    }

    [Fact]
    public async Task CustomConvention_InAFewLines()
    {
        // A gRPC-style stack: a counter with a route label and a text status where only "OK" succeeds,
        // with the requests counted on the +Inf bucket of a histogram.
        var convention = new TrafficConvention
        {
            Name = "my-grpc",
            RequestCountMetric = "rpc_server_duration_milliseconds_bucket",
            EndpointLabel = "rpc_method",
            StatusLabel = "rpc_grpc_status",
            RequestSelector = LabelSelector.Parse("le=\"+Inf\""),
            StatusValueClasses = new Dictionary<string, StatusClass> { ["OK"] = StatusClass.Success, ["NOT_FOUND"] = StatusClass.ClientError },
            SuccessRule = SuccessRule.Non5xx,
        };
        var provider = new FakeMetricProvider(q => new MetricQueryResult(q, MetricResultType.Vector,
        [
            Row("Get", "OK", 90),
            Row("Get", "NOT_FOUND", 6),
            Row("Get", "UNAVAILABLE", 4),
        ]));

        var snapshot = await new PrometheusTrafficSource(provider, convention).ReadAsync(Query);

        Assert.Equal("sum by (rpc_method, rpc_grpc_status) (increase(rpc_server_duration_milliseconds_bucket{le=\"+Inf\",app=\"web\"}[300s]))", provider.Queries[0].Query);
        var get = snapshot.Endpoints["Get"];
        Assert.Equal((100d, 96d), (get.Requests, get.Successes));

        static MetricSeries Row(string method, string status, double value) =>
            new(new Dictionary<string, string> { ["rpc_method"] = method, ["rpc_grpc_status"] = status }, [new MetricSample(End, value)]);
    }

    [Fact]
    public void StatusValueClasses_IsCopiedWhenSet()
    {
        var map = new Dictionary<string, StatusClass> { ["ok"] = StatusClass.Success };
        var convention = new TrafficConvention { RequestCountMetric = "x_total", StatusLabel = "s", StatusValueClasses = map };
        map["ok"] = StatusClass.ServerError;

        Assert.Equal(StatusClass.Success, convention.ClassifyStatus("ok"));
        Assert.Equal(StatusClass.Success, convention.ClassifyStatus("200"));
    }

    [Fact]
    public void Validate_RejectsUnknownStatusClass_NamingValue()
    {
        var convention = new TrafficConvention
        {
            RequestCountMetric = "x_total",
            StatusLabel = "s",
            StatusValueClasses = new Dictionary<string, StatusClass> { ["weird"] = (StatusClass)42 },
        };

        var ex = Assert.Throws<ArgumentException>(convention.Validate);
        Assert.Contains("StatusValueClasses['weird']", ex.Message, StringComparison.Ordinal);
    }

    private static readonly string[] PresetNames =
        ["PrometheusNet", "ExpressPromBundle", "OpenTelemetry", "Istio", "Linkerd", "Envoy", "NginxIngress", "Traefik", "Skipper", "Apisix", "Osm", "Kubernetes"];

    private static TrafficConvention Preset(string name) =>
        (TrafficConvention)typeof(TrafficConvention).GetProperty(name)!.GetValue(null)!;
}
