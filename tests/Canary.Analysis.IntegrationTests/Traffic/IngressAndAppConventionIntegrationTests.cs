using System.Globalization;
using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// The NGINX ingress, Envoy, Skipper, APISIX, OSM, OpenTelemetry and Kubernetes presets against a real Prometheus holding
/// their metric shapes: per endpoint (or for the whole service), the library's request counts, successes, quantiles and
/// mean latency equal Prometheus' own answer to hand-written queries over the same window. The fixture also holds series
/// each preset must leave out (other ingresses, clusters and routes, APISIX's <c>type="upstream"</c>/<c>"apisix"</c>
/// latencies, Skipper's finite buckets), so the fixed matchers and the caller's selector are proven, not assumed.
/// </summary>
public sealed class IngressAndAppConventionIntegrationTests(IngressAndAppConventionIntegrationTests.ConventionServer server)
    : IClassFixture<IngressAndAppConventionIntegrationTests.ConventionServer>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = server.Address });

    public void Dispose() => _provider.Dispose();

    [PrometheusTheory]
    [InlineData("web-canary")]
    [InlineData("web")]
    public async Task NginxIngress_PerPath_CountsSuccessesQuantilesAndMean_EqualPrometheus(string ingress)
    {
        var sel = $"namespace=\"shop\",ingress=\"{ingress}\"";
        await AssertPresetAsync(
            TrafficConvention.NginxIngress,
            $"namespace=\"shop\",ingress=\"{ingress}\"",
            new Oracle(
                EndpointLabel: "path",
                All: $"sum by (path) (increase(nginx_ingress_controller_requests{{{sel}}}[10m]))",
                Ok: $"sum by (path) (increase(nginx_ingress_controller_requests{{{sel},status=~\"[1-4][0-9][0-9]\"}}[10m]))",
                Buckets: $"sum by (path, le) (increase(nginx_ingress_controller_response_duration_seconds_bucket{{{sel}}}[10m]))",
                Mean: $"sum by (path) (increase(nginx_ingress_controller_response_duration_seconds_sum{{{sel}}}[10m])) / sum by (path) (increase(nginx_ingress_controller_response_duration_seconds_count{{{sel}}}[10m]))",
                Divisor: 1),
            expectedEndpoints: 3);
    }

    [PrometheusTheory]
    [InlineData("shop_web-canary_80")]
    [InlineData("shop_web-primary_80")]
    public async Task Envoy_WholeCluster_CountsSuccessesAndMillisecondLatency_EqualPrometheus(string cluster)
    {
        var sel = $"envoy_cluster_name=\"{cluster}\"";
        await AssertPresetAsync(
            TrafficConvention.Envoy,
            sel,
            new Oracle(
                EndpointLabel: null,
                All: $"sum(increase(envoy_cluster_upstream_rq{{{sel}}}[10m]))",
                Ok: $"sum(increase(envoy_cluster_upstream_rq{{{sel},envoy_response_code=~\"[1-4][0-9][0-9]\"}}[10m]))",
                Buckets: $"sum by (le) (increase(envoy_cluster_upstream_rq_time_bucket{{{sel}}}[10m]))",
                Mean: $"sum(increase(envoy_cluster_upstream_rq_time_sum{{{sel}}}[10m])) / sum(increase(envoy_cluster_upstream_rq_time_count{{{sel}}}[10m]))",
                Divisor: 1000),
            expectedEndpoints: 1);
    }

    [PrometheusTheory]
    [InlineData("kube_shop__web_canary__web_example_com____web_canary")]
    [InlineData("kube_shop__web__web_example_com____web")]
    public async Task Skipper_InfBucketRequestsAndServeRouteLatency_EqualPrometheus(string route)
    {
        var sel = $"route=\"{route}\"";
        await AssertPresetAsync(
            TrafficConvention.Skipper,
            sel,
            new Oracle(
                EndpointLabel: null,
                All: $"sum(increase(skipper_response_duration_seconds_bucket{{{sel},le=\"+Inf\"}}[10m]))",
                Ok: $"sum(increase(skipper_response_duration_seconds_bucket{{{sel},le=\"+Inf\",code!~\"5..\"}}[10m]))",
                Buckets: $"sum by (le) (increase(skipper_serve_route_duration_seconds_bucket{{{sel}}}[10m]))",
                Mean: $"sum(increase(skipper_serve_route_duration_seconds_sum{{{sel}}}[10m])) / sum(increase(skipper_serve_route_duration_seconds_count{{{sel}}}[10m]))",
                Divisor: 1),
            expectedEndpoints: 1);
    }

    [PrometheusTheory]
    [InlineData("shop_web-web-canary_1")]
    [InlineData("shop_web-web-primary_1")]
    public async Task Apisix_RequestTypeLatencyOnly_EqualsPrometheus(string route)
    {
        var sel = $"route=\"{route}\"";
        await AssertPresetAsync(
            TrafficConvention.Apisix,
            sel,
            new Oracle(
                EndpointLabel: null,
                All: $"sum(increase(apisix_http_status{{{sel}}}[10m]))",
                Ok: $"sum(increase(apisix_http_status{{{sel},code!~\"5..\"}}[10m]))",
                Buckets: $"sum by (le) (increase(apisix_http_latency_bucket{{type=~\"request\",{sel}}}[10m]))",
                Mean: $"sum(increase(apisix_http_latency_sum{{type=~\"request\",{sel}}}[10m])) / sum(increase(apisix_http_latency_count{{type=~\"request\",{sel}}}[10m]))",
                Divisor: 1000),
            expectedEndpoints: 1);

        // The upstream and apisix latencies are slower; had the preset read them, p99 would move.
        var allTypes = await server.ScalarAsync($"histogram_quantile(0.99, sum by (le) (increase(apisix_http_latency_bucket{{{sel}}}[10m]))) / 1000");
        var requestOnly = await server.ScalarAsync($"histogram_quantile(0.99, sum by (le) (increase(apisix_http_latency_bucket{{type=\"request\",{sel}}}[10m]))) / 1000");
        Assert.NotEqual(requestOnly, allTypes, 6);
    }

    [PrometheusTheory]
    [InlineData("web-canary")]
    [InlineData("web-primary")]
    public async Task Osm_WholeDeployment_CountsSuccessesAndMillisecondLatency_EqualPrometheus(string name)
    {
        var sel = $"destination_namespace=\"shop\",destination_kind=\"Deployment\",destination_name=\"{name}\"";
        await AssertPresetAsync(
            TrafficConvention.Osm,
            sel,
            new Oracle(
                EndpointLabel: null,
                All: $"sum(increase(osm_request_total{{{sel}}}[10m]))",
                Ok: $"sum(increase(osm_request_total{{{sel},response_code=~\"[1-4][0-9][0-9]\"}}[10m]))",
                Buckets: $"sum by (le) (increase(osm_request_duration_ms_bucket{{{sel}}}[10m]))",
                Mean: $"sum(increase(osm_request_duration_ms_sum{{{sel}}}[10m])) / sum(increase(osm_request_duration_ms_count{{{sel}}}[10m]))",
                Divisor: 1000),
            expectedEndpoints: 1);
    }

    [PrometheusTheory]
    [InlineData("web-canary")]
    [InlineData("web-primary")]
    public async Task OpenTelemetry_PerRoute_Only2xxSucceed_EqualsPrometheus(string job)
    {
        var sel = $"job=\"{job}\"";
        await AssertPresetAsync(
            TrafficConvention.OpenTelemetry,
            sel,
            new Oracle(
                EndpointLabel: "http_route",
                All: $"sum by (http_route) (increase(http_server_request_duration_seconds_count{{{sel}}}[10m]))",
                Ok: $"sum by (http_route) (increase(http_server_request_duration_seconds_count{{{sel},http_response_status_code=~\"2..\"}}[10m]))",
                Buckets: $"sum by (http_route, le) (increase(http_server_request_duration_seconds_bucket{{{sel}}}[10m]))",
                Mean: $"sum by (http_route) (increase(http_server_request_duration_seconds_sum{{{sel}}}[10m])) / sum by (http_route) (increase(http_server_request_duration_seconds_count{{{sel}}}[10m]))",
                Divisor: 1),
            expectedEndpoints: 3);
    }

    [PrometheusTheory]
    [InlineData("web-canary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)")]
    [InlineData("web-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)")]
    public async Task Kubernetes_WholeServiceAcrossPods_EqualsFlaggerShapedQueries(string podRegex)
    {
        var sel = $"kubernetes_namespace=\"shop\",kubernetes_pod_name=~\"{podRegex}\"";
        await AssertPresetAsync(
            TrafficConvention.Kubernetes,
            sel,
            new Oracle(
                EndpointLabel: null,
                All: $"sum(increase(http_request_duration_seconds_count{{{sel}}}[10m]))",
                Ok: $"sum(increase(http_request_duration_seconds_count{{{sel},status!~\"5.*\"}}[10m]))",
                Buckets: $"sum by (le) (increase(http_request_duration_seconds_bucket{{{sel}}}[10m]))",
                Mean: $"sum(increase(http_request_duration_seconds_sum{{{sel}}}[10m])) / sum(increase(http_request_duration_seconds_count{{{sel}}}[10m]))",
                Divisor: 1),
            expectedEndpoints: 1);
    }

    [PrometheusFact]
    public async Task Kubernetes_WithPathEndpointLabel_EqualsPrometheusPerPath()
    {
        const string sel = "kubernetes_namespace=\"shop\",kubernetes_pod_name=~\"web-canary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";
        await AssertPresetAsync(
            TrafficConvention.Kubernetes with { EndpointLabel = "path" },
            sel,
            new Oracle(
                EndpointLabel: "path",
                All: $"sum by (path) (increase(http_request_duration_seconds_count{{{sel}}}[10m]))",
                Ok: $"sum by (path) (increase(http_request_duration_seconds_count{{{sel},status!~\"5.*\"}}[10m]))",
                Buckets: $"sum by (path, le) (increase(http_request_duration_seconds_bucket{{{sel}}}[10m]))",
                Mean: $"sum by (path) (increase(http_request_duration_seconds_sum{{{sel}}}[10m])) / sum by (path) (increase(http_request_duration_seconds_count{{{sel}}}[10m]))",
                Divisor: 1),
            expectedEndpoints: 2);
    }

    private async Task AssertPresetAsync(TrafficConvention convention, string callerSelector, Oracle oracle, int expectedEndpoints)
    {
        var all = await server.VectorAsync(oracle.All, oracle.EndpointLabel);
        var ok = await server.VectorAsync(oracle.Ok, oracle.EndpointLabel);
        var mean = await server.VectorAsync($"({oracle.Mean}) / {oracle.Divisor}", oracle.EndpointLabel);
        var quantiles = new Dictionary<double, Dictionary<string, double>>();
        foreach (var q in Quantiles)
        {
            quantiles[q] = await server.VectorAsync(
                $"histogram_quantile({q.ToString(CultureInfo.InvariantCulture)}, {oracle.Buckets}) / {oracle.Divisor}", oracle.EndpointLabel);
        }

        var snapshot = await new PrometheusTrafficSource(_provider, convention).ReadAsync(
            new TrafficQuery(LabelSelector.Parse(callerSelector), At, Window) { IncludeLatency = true });

        Assert.Equal(expectedEndpoints, all.Count);
        Assert.Equal(all.Keys.Order(StringComparer.Ordinal), snapshot.Endpoints.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(snapshot.Warnings);
        var anyFailure = false;
        foreach (var (endpoint, requests) in all)
        {
            var traffic = snapshot.Endpoints[endpoint];
            var successes = ok.GetValueOrDefault(endpoint);
            AssertClose(requests, traffic.Requests, $"{endpoint} requests");
            AssertClose(successes, traffic.Successes, $"{endpoint} successes");
            anyFailure |= successes < requests;
            Assert.NotNull(traffic.Latency);
            AssertClose(mean[endpoint], traffic.Latency.Mean, $"{endpoint} mean");
            foreach (var q in Quantiles)
            {
                AssertClose(quantiles[q][endpoint], traffic.Latency.Quantile(q), $"{endpoint} p{q * 100}");
            }
        }

        Assert.True(anyFailure, "the fixture should hold failures for the preset's success rule to matter");
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        Assert.False(double.IsNaN(expected), $"{what}: the oracle returned NaN");
        Assert.True(Math.Abs(expected - actual) <= (Math.Abs(expected) * 1e-9) + 1e-12, $"{what}: Prometheus {expected:R}, library {actual:R}");
    }

    /// <summary>Hand-written PromQL for one preset and selection; <see cref="Divisor"/> turns the histogram's unit into seconds.</summary>
    private sealed record Oracle(string? EndpointLabel, string All, string Ok, string Buckets, string Mean, double Divisor);

    /// <summary>One Prometheus holding the shapes of seven presets, for a canary and a primary each, plus series to ignore.</summary>
    public sealed class ConventionServer : OpenMetricsPrometheusFixture
    {
        private const int StepSeconds = 15;
        private const int Steps = 120; // 30 minutes

        private static readonly (string Version, double Scale)[] Versions = [("canary", 1.0), ("primary", 3.0)];
        private static readonly double[] SecondBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
        private static readonly double[] MillisecondBounds = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

        protected override DateTimeOffset ReadinessTime => At;

        protected override string ReadinessQuery => "count(osm_request_total)";

        public async Task<double> ScalarAsync(string promql) => Assert.Single(await Client.QueryAsync(promql, At)).Value;

        /// <summary>The result keyed by the endpoint label's value, or by <see cref="PrometheusTrafficSource.WholeServiceEndpoint"/>.</summary>
        public async Task<Dictionary<string, double>> VectorAsync(string promql, string? endpointLabel) =>
            (await Client.QueryAsync(promql, At)).ToDictionary(
                s => endpointLabel is null ? PrometheusTrafficSource.WholeServiceEndpoint : s[endpointLabel], s => s.Value, StringComparer.Ordinal);

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder();

            // NGINX ingress: per path and status; the primary ingress "web" and another namespace's ingress are other selections.
            var nginx = new List<(string Labels, double Rate)>();
            var nginxLatency = new List<(string Labels, double Scale, double[] Rates)>();
            foreach (var (ingress, scale) in new[] { ("web-canary", 1.0), ("web", 3.0) })
            {
                foreach (var (path, status, rate) in new[] { ("/", "200", 4.0), ("/", "304", 0.5), ("/api", "200", 2.0), ("/api", "502", 0.3), ("/api", "404", 0.2), ("/login", "200", 0.5), ("/login", "500", 0.05) })
                {
                    nginx.Add(($"namespace=\"shop\",ingress=\"{ingress}\",path=\"{path}\",status=\"{status}\",method=\"GET\"", rate * scale));
                }

                foreach (var (path, status, shape) in new[] { ("/", "200", new[] { 3.0, 1.0, 0.4, 0.1, 0, 0, 0, 0, 0, 0 }), ("/api", "200", new[] { 0, 0.2, 0.5, 0.8, 0.4, 0.1, 0, 0, 0, 0.0 }), ("/api", "502", new[] { 0, 0, 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.0 }), ("/login", "200", new[] { 0, 0, 0, 0, 0.1, 0.2, 0.15, 0.05, 0.0, 0.01 }) })
                {
                    nginxLatency.Add(($"namespace=\"shop\",ingress=\"{ingress}\",path=\"{path}\",status=\"{status}\"", scale, shape));
                }
            }

            nginx.Add(("namespace=\"other\",ingress=\"web-canary\",path=\"/\",status=\"500\",method=\"GET\"", 50));
            nginxLatency.Add(("namespace=\"other\",ingress=\"web-canary\",path=\"/\",status=\"500\"", 1, [0, 0, 0, 0, 0, 0, 0, 0, 5, 5]));
            Counter(text, "nginx_ingress_controller_requests", nginx);
            Histogram(text, "nginx_ingress_controller_response_duration_seconds", SecondBounds, nginxLatency);

            // Envoy (Contour naming): per cluster and code; envoy_cluster_upstream_rq_xx (per class) has another name and must not count.
            var envoy = new List<(string, double)>();
            var envoyLatency = new List<(string, double, double[])>();
            foreach (var (version, scale) in Versions)
            {
                var cluster = $"envoy_cluster_name=\"shop_web-{version}_80\"";
                foreach (var (code, rate) in new[] { ("200", 5.0), ("201", 0.5), ("404", 0.4), ("503", 0.2 / scale), ("504", 0.05) })
                {
                    envoy.Add(($"{cluster},envoy_response_code=\"{code}\"", rate * scale));
                }

                envoyLatency.Add((cluster, scale, [0.5, 2.0, 1.5, 1.0, 0.6, 0.3, 0.1, 0.05, 0.01, 0, 0.002]));
            }

            envoy.Add(("envoy_cluster_name=\"shop_web-canary-tls_443\",envoy_response_code=\"500\"", 9));
            Counter(text, "envoy_cluster_upstream_rq", envoy);
            Counter(text, "envoy_cluster_upstream_rq_xx", [("envoy_cluster_name=\"shop_web-canary_80\",envoy_response_code_class=\"5\"", 100)]);
            Histogram(text, "envoy_cluster_upstream_rq_time", MillisecondBounds, envoyLatency);

            // Skipper: requests are the +Inf bucket of skipper_response_duration_seconds (its finite buckets must not count).
            var skipperResponses = new List<(string, double, double[])>();
            var skipperServe = new List<(string, double, double[])>();
            foreach (var (route, scale) in new[] { ("kube_shop__web_canary__web_example_com____web_canary", 1.0), ("kube_shop__web__web_example_com____web", 3.0) })
            {
                foreach (var (code, shape) in new[] { ("200", new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.2, 0.1, 0, 0, 0 }), ("404", new[] { 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0, 0.0 }), ("500", new[] { 0, 0, 0, 0, 0, 0.05, 0.05, 0.05, 0.1, 0.0 }) })
                {
                    skipperResponses.Add(($"route=\"{route}\",code=\"{code}\",method=\"GET\"", scale, shape));
                }

                skipperServe.Add(($"route=\"{route}\"", scale, [0.2, 1.0, 1.2, 0.8, 0.4, 0.2, 0.1, 0.02, 0.01, 0.005]));
            }

            HistogramBuckets(text, "skipper_response_duration_seconds", SecondBounds, skipperResponses);
            Histogram(text, "skipper_serve_route_duration_seconds", SecondBounds, skipperServe);

            // APISIX: status per route and code; latency of type request (read), upstream and apisix (ignored, slower).
            var apisix = new List<(string, double)>();
            var apisixLatency = new List<(string, double, double[])>();
            foreach (var (version, scale) in Versions)
            {
                var route = $"route=\"shop_web-web-{version}_1\"";
                foreach (var (code, rate) in new[] { ("200", 3.0), ("302", 0.3), ("499", 0.1), ("500", 0.15), ("503", 0.05) })
                {
                    apisix.Add(($"{route},code=\"{code}\",matched_uri=\"/*\"", rate * scale));
                }

                apisixLatency.Add(($"type=\"request\",{route}", scale, [0.1, 1.0, 1.5, 0.6, 0.3, 0.1, 0.05, 0.01, 0, 0, 0]));
                apisixLatency.Add(($"type=\"upstream\",{route}", scale, [0, 0, 0, 0, 0, 0, 0, 1.0, 1.0, 1.0, 0.5]));
                apisixLatency.Add(($"type=\"apisix\",{route}", scale, [0, 0, 0, 0, 0, 0, 0, 0, 2.0, 2.0, 2.0]));
            }

            Counter(text, "apisix_http_status", apisix);
            Histogram(text, "apisix_http_latency", MillisecondBounds, apisixLatency);

            // OSM: per destination deployment and code; another source deployment's traffic to it is part of it.
            var osm = new List<(string, double)>();
            var osmLatency = new List<(string, double, double[])>();
            foreach (var (version, scale) in Versions)
            {
                foreach (var source in new[] { "frontend", "batch" })
                {
                    var labels = $"source_name=\"{source}\",destination_namespace=\"shop\",destination_kind=\"Deployment\",destination_name=\"web-{version}\"";
                    foreach (var (code, rate) in new[] { ("200", 2.0), ("0", 0.02), ("404", 0.3), ("503", 0.1) })
                    {
                        osm.Add(($"{labels},response_code=\"{code}\"", rate * scale));
                    }

                    osmLatency.Add((labels, scale, source == "batch" ? [0, 0, 0.1, 0.3, 0.5, 0.3, 0.1, 0, 0, 0, 0] : [1.0, 1.5, 0.5, 0.2, 0.1, 0.05, 0.01, 0, 0, 0, 0.001]));
                }
            }

            osm.Add(("source_name=\"frontend\",destination_namespace=\"shop\",destination_kind=\"StatefulSet\",destination_name=\"web-canary\",response_code=\"500\"", 20));
            Counter(text, "osm_request_total", osm);
            Histogram(text, "osm_request_duration_ms", MillisecondBounds, osmLatency);

            // OpenTelemetry: per route, method and code (2xx only succeeds); the client-side histogram is another metric.
            var otel = new List<(string, double, double[])>();
            foreach (var (version, scale) in Versions)
            {
                foreach (var (route, method, code, shape) in new[]
                {
                    ("/orders/{id}", "GET", "200", new[] { 2.0, 1.0, 0.5, 0.2, 0.1, 0, 0, 0, 0, 0 }),
                    ("/orders/{id}", "GET", "404", new[] { 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0.0 }),
                    ("/orders", "POST", "201", new[] { 0, 0.1, 0.4, 0.6, 0.3, 0.1, 0, 0, 0, 0.0 }),
                    ("/orders", "POST", "500", new[] { 0, 0, 0, 0, 0, 0, 0.02, 0.02, 0.01, 0.01 }),
                    ("/health", "GET", "200", new[] { 1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0 }),
                })
                {
                    otel.Add(($"job=\"web-{version}\",http_route=\"{route}\",http_request_method=\"{method}\",http_response_status_code=\"{code}\"", scale, shape));
                }
            }

            Histogram(text, "http_server_request_duration_seconds", SecondBounds, otel);
            Histogram(text, "http_client_request_duration_seconds", SecondBounds, [("job=\"web-canary\",http_response_status_code=\"500\"", 1, [0, 0, 0, 0, 0, 0, 0, 0, 9, 9])]);

            // Kubernetes app shape: two pods per version, status label; a pod of another deployment (web-canary-db) and
            // another namespace do not match Flagger's selector.
            var k8s = new List<(string, double, double[])>();
            foreach (var (version, scale) in Versions)
            {
                foreach (var pod in new[] { $"web-{version}-7d9f8b6c5d-x2x4z", $"web-{version}-7d9f8b6c5d-k9lmn" })
                {
                    var labels = $"kubernetes_namespace=\"shop\",kubernetes_pod_name=\"{pod}\"";
                    k8s.Add(($"{labels},path=\"/\",status=\"200\"", scale, [1.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0, 0, 0, 0]));
                    k8s.Add(($"{labels},path=\"/\",status=\"503\"", 1, [0, 0, 0, 0, 0, 0, 0.05, 0.1, 0.05, 0.0]));
                    k8s.Add(($"{labels},path=\"/cart\",status=\"200\"", scale, [0, 0.3, 0.6, 0.9, 0.3, 0.1, 0.05, 0, 0, 0]));
                    k8s.Add(($"{labels},path=\"/cart\",status=\"400\"", scale, [0.1, 0.1, 0, 0, 0, 0, 0, 0, 0, 0]));
                }
            }

            k8s.Add(("kubernetes_namespace=\"shop\",kubernetes_pod_name=\"web-canary-db\",path=\"/\",status=\"500\"", 1, [0, 0, 0, 0, 0, 0, 0, 0, 7, 7]));
            k8s.Add(("kubernetes_namespace=\"other\",kubernetes_pod_name=\"web-canary-7d9f8b6c5d-x2x4z\",path=\"/\",status=\"500\"", 1, [0, 0, 0, 0, 0, 0, 0, 0, 7, 7]));
            Histogram(text, "http_request_duration_seconds", SecondBounds, k8s);

            text.Append("# EOF\n");
            return text.ToString();
        }

        /// <summary>Writes a family of counters growing at the given per-second rates, one sample every 15 s.</summary>
        private static void Counter(StringBuilder text, string name, IEnumerable<(string Labels, double Rate)> series)
        {
            text.Append("# TYPE ").Append(name).Append(" unknown\n");
            var start = At.ToUnixTimeSeconds() - (Steps * StepSeconds);
            foreach (var (labels, rate) in series)
            {
                for (var k = 0; k <= Steps; k++)
                {
                    var value = rate * k * StepSeconds;
                    text.Append(CultureInfo.InvariantCulture, $"{name}{{{labels}}} {value.ToString("R", CultureInfo.InvariantCulture)} {start + (k * StepSeconds)}\n");
                }
            }
        }

        /// <summary>Writes the <c>_bucket</c> family only: per series, per-bucket rates (last = the +Inf bucket alone) times a scale.</summary>
        private static void HistogramBuckets(StringBuilder text, string name, double[] bounds, IEnumerable<(string Labels, double Scale, double[] Rates)> series)
        {
            var buckets = new List<(string, double)>();
            foreach (var (labels, scale, rates) in series)
            {
                if (rates.Length != bounds.Length + 1)
                {
                    throw new ArgumentException($"{name}{{{labels}}}: {rates.Length} rates for {bounds.Length} bounds + Inf", nameof(series));
                }

                double cumulative = 0;
                for (var i = 0; i <= bounds.Length; i++)
                {
                    cumulative += rates[i] * scale;
                    var le = i < bounds.Length ? bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                    buckets.Add(($"{labels},le=\"{le}\"", cumulative));
                }
            }

            Counter(text, name + "_bucket", buckets);
        }

        /// <summary>Writes <c>_bucket</c>, <c>_sum</c> and <c>_count</c>; the sum puts each observation at its bucket's midpoint.</summary>
        private static void Histogram(StringBuilder text, string name, double[] bounds, IEnumerable<(string Labels, double Scale, double[] Rates)> series)
        {
            var list = series.ToList();
            HistogramBuckets(text, name, bounds, list);
            Counter(text, name + "_sum", list.Select(s => (s.Labels, s.Rates.Select((rate, i) => rate * s.Scale * Midpoint(bounds, i)).Sum())));
            Counter(text, name + "_count", list.Select(s => (s.Labels, s.Rates.Sum() * s.Scale)));
        }

        private static double Midpoint(double[] bounds, int bucket) =>
            bucket == 0 ? bounds[0] / 2 : bucket < bounds.Length ? (bounds[bucket - 1] + bounds[bucket]) / 2 : bounds[^1] * 2;
    }
}
