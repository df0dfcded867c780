using System.Globalization;
using System.Text;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// The Istio, Linkerd and Traefik presets against a real Prometheus holding their metric shapes: the library's counts,
/// successes and latency equal Prometheus' own answer to hand-written queries over the same window.
/// </summary>
public sealed class MeshConventionIntegrationTests(MeshConventionIntegrationTests.MeshServer server) : IClassFixture<MeshConventionIntegrationTests.MeshServer>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = server.Address });

    public void Dispose() => _provider.Dispose();

    [PrometheusTheory]
    [InlineData("web-canary")]
    [InlineData("web-primary")]
    public async Task Istio_CountsSuccessesAndMillisecondLatency_EqualPrometheus(string workload)
    {
        var selector = $"reporter=\"destination\",destination_workload=\"{workload}\"";
        var all = await server.ScalarAsync($"sum(increase(istio_requests_total{{{selector}}}[10m]))");
        // Non5xx: 1xx–4xx succeed; response_code 0 (a reset) fails (Flagger's !~"5.*" would pass it).
        var ok = await server.ScalarAsync($"sum(increase(istio_requests_total{{{selector},response_code=~\"[1-4][0-9][0-9]\"}}[10m]))");
        var p99 = await server.ScalarAsync($"histogram_quantile(0.99, sum by (le) (increase(istio_request_duration_milliseconds_bucket{{{selector}}}[10m]))) / 1000");
        var mean = await server.ScalarAsync(
            $"sum(increase(istio_request_duration_milliseconds_sum{{{selector}}}[10m])) / sum(increase(istio_request_duration_milliseconds_count{{{selector}}}[10m])) / 1000");

        var snapshot = await new PrometheusTrafficSource(_provider, TrafficConvention.Istio).ReadAsync(
            new TrafficQuery(LabelSelector.Parse($"destination_workload=\"{workload}\""), At, Window) { IncludeLatency = true });

        var service = Assert.Single(snapshot.Endpoints).Value;
        Assert.Equal(PrometheusTrafficSource.WholeServiceEndpoint, service.Endpoint);
        AssertClose(all, service.Requests);
        AssertClose(ok, service.Successes);
        Assert.True(service[StatusClass.Other] > 0, "the fixture has response_code=\"0\" resets");
        AssertClose(p99, service.Latency!.Quantile(0.99));
        AssertClose(mean, service.Latency.Mean);
    }

    [PrometheusTheory]
    [InlineData("web-canary")]
    [InlineData("web-primary")]
    public async Task Linkerd_ClassificationFailureIsTheOnlyFailure_EqualsPrometheus(string deployment)
    {
        var selector = $"direction=\"inbound\",deployment=\"{deployment}\"";
        var all = await server.ScalarAsync($"sum(increase(response_total{{{selector}}}[10m]))");
        var ok = await server.ScalarAsync($"sum(increase(response_total{{{selector},classification!=\"failure\"}}[10m]))");
        var p50 = await server.ScalarAsync($"histogram_quantile(0.5, sum by (le) (increase(response_latency_ms_bucket{{{selector}}}[10m]))) / 1000");

        var snapshot = await new PrometheusTrafficSource(_provider, TrafficConvention.Linkerd).ReadAsync(
            new TrafficQuery(LabelSelector.Parse($"deployment=\"{deployment}\""), At, Window) { IncludeLatency = true });

        var service = Assert.Single(snapshot.Endpoints).Value;
        AssertClose(all, service.Requests);
        AssertClose(ok, service.Successes);
        AssertClose(all - ok, service[StatusClass.ServerError]);
        AssertClose(p50, service.Latency!.Quantile(0.5));
    }

    [PrometheusTheory]
    [InlineData("shop-web-canary-8080@kubernetescrd")]
    [InlineData("shop-web-primary-8080@kubernetescrd")]
    public async Task Traefik_InfBucketIsTheRequestCounter_EqualsFlaggerQueries(string service)
    {
        var selector = $"service=\"{service}\"";
        var all = await server.ScalarAsync($"sum(increase(traefik_service_request_duration_seconds_bucket{{{selector},le=\"+Inf\"}}[10m]))");
        var ok = await server.ScalarAsync($"sum(increase(traefik_service_request_duration_seconds_bucket{{{selector},le=\"+Inf\",code!~\"5..\"}}[10m]))");
        var p95 = await server.ScalarAsync($"histogram_quantile(0.95, sum by (le) (increase(traefik_service_request_duration_seconds_bucket{{{selector}}}[10m])))");

        var snapshot = await new PrometheusTrafficSource(_provider, TrafficConvention.Traefik).ReadAsync(
            new TrafficQuery(LabelSelector.Parse(selector), At, Window) { IncludeLatency = true });

        var endpoint = Assert.Single(snapshot.Endpoints).Value;
        AssertClose(all, endpoint.Requests);
        AssertClose(ok, endpoint.Successes);
        AssertClose(p95, endpoint.Latency!.Quantile(0.95));
    }

    [PrometheusFact]
    public async Task Istio_PerPathEndpointLabel_EqualsPrometheusPerPath()
    {
        var selector = "reporter=\"destination\",destination_workload=\"web-canary\"";
        var oracle = await server.VectorAsync($"sum by (request_path) (increase(istio_requests_total{{{selector},response_code=~\"[1-4][0-9][0-9]\"}}[10m]))");

        var snapshot = await new PrometheusTrafficSource(_provider, TrafficConvention.Istio with { EndpointLabel = "request_path" })
            .ReadAsync(new TrafficQuery(LabelSelector.Parse("destination_workload=\"web-canary\""), At, Window));

        Assert.Equal(2, oracle.Count);
        Assert.Equal(oracle.Keys.Order(StringComparer.Ordinal), snapshot.Endpoints.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, successes) in oracle)
        {
            AssertClose(successes, snapshot.Endpoints[path].Successes);
        }
    }

    private static void AssertClose(double expected, double actual)
    {
        Assert.False(double.IsNaN(expected), "the oracle returned NaN");
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-9 + 1e-12);
    }

    /// <summary>One Prometheus holding Istio, Linkerd and Traefik series for a canary and a primary, plus series the presets must ignore.</summary>
    public sealed class MeshServer : OpenMetricsPrometheusFixture
    {
        private const int StepSeconds = 15;
        private const int Steps = 120; // 30 minutes

        protected override DateTimeOffset ReadinessTime => At;

        protected override string ReadinessQuery => "count(istio_requests_total)";

        public async Task<double> ScalarAsync(string promql) => Assert.Single(await Client.QueryAsync(promql, At)).Value;

        public async Task<Dictionary<string, double>> VectorAsync(string promql) =>
            (await Client.QueryAsync(promql, At)).ToDictionary(s => s["request_path"], s => s.Value, StringComparer.Ordinal);

        protected override string BuildOpenMetrics()
        {
            var text = new StringBuilder();
            var versions = new[] { ("canary", 1.0), ("primary", 3.0) };

            // Istio: counter per path and code (0 = reset), ms histogram; reporter="source" duplicates must be ignored.
            Family(text, "istio_requests_total", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    foreach (var reporter in new[] { "destination", "source" })
                    {
                        foreach (var (path, code, rate) in new[] { ("/pay", "200", 2.0), ("/pay", "503", 0.2), ("/pay", "0", 0.05), ("/search", "200", 5.0), ("/search", "404", 0.4) })
                        {
                            w($"istio_requests_total{{reporter=\"{reporter}\",destination_workload=\"web-{version}\",request_path=\"{path}\",response_code=\"{code}\"}}", rate * scale);
                        }
                    }
                }
            });
            Histogram(text, "istio_request_duration_milliseconds", [5, 10, 25, 50, 100, 250], version => $"reporter=\"destination\",destination_workload=\"web-{version}\"", versions, [3.0, 2.0, 1.5, 0.6, 0.2, 0.1, 0.05]);

            // Linkerd: classification success/failure; outbound traffic must be ignored.
            Family(text, "response_total", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    foreach (var direction in new[] { "inbound", "outbound" })
                    {
                        w($"response_total{{direction=\"{direction}\",deployment=\"web-{version}\",classification=\"success\",status_code=\"200\"}}", 4 * scale);
                        w($"response_total{{direction=\"{direction}\",deployment=\"web-{version}\",classification=\"success\",status_code=\"404\"}}", 0.5 * scale);
                        w($"response_total{{direction=\"{direction}\",deployment=\"web-{version}\",classification=\"failure\",status_code=\"503\"}}", 0.3 / scale);
                    }
                }
            });
            Histogram(text, "response_latency_ms", [1, 10, 100, 1000], version => $"direction=\"inbound\",deployment=\"web-{version}\"", versions, [1.0, 2.0, 1.5, 0.25, 0.05]);

            // Traefik: the request counter is the +Inf bucket of a histogram with a code label.
            Family(text, "traefik_service_request_duration_seconds_bucket", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    foreach (var (code, perBucket) in new[] { ("200", new[] { 2.0, 1.0, 0.5, 0.25 }), ("500", new[] { 0.1, 0.1, 0.05, 0.05 }) })
                    {
                        var bounds = new[] { "0.1", "0.3", "1.2", "+Inf" };
                        double cumulative = 0;
                        for (var i = 0; i < bounds.Length; i++)
                        {
                            cumulative += perBucket[i] * scale;
                            w($"traefik_service_request_duration_seconds_bucket{{service=\"shop-web-{version}-8080@kubernetescrd\",code=\"{code}\",le=\"{bounds[i]}\"}}", cumulative);
                        }
                    }
                }
            });
            Family(text, "traefik_service_request_duration_seconds_sum", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    foreach (var code in new[] { "200", "500" })
                    {
                        w($"traefik_service_request_duration_seconds_sum{{service=\"shop-web-{version}-8080@kubernetescrd\",code=\"{code}\"}}", 0.4 * scale);
                    }
                }
            });

            text.Append("# EOF\n");
            return text.ToString();
        }

        /// <summary>Writes a family of counters growing at the given per-second rates, one sample every 15 s.</summary>
        private static void Family(StringBuilder text, string name, Action<Action<string, double>> series)
        {
            text.Append("# TYPE ").Append(name).Append(" unknown\n");
            var start = At.ToUnixTimeSeconds() - (Steps * StepSeconds);
            series((labels, rate) =>
            {
                for (var k = 0; k <= Steps; k++)
                {
                    var value = rate * k * StepSeconds;
                    text.Append(CultureInfo.InvariantCulture, $"{labels} {value.ToString("R", CultureInfo.InvariantCulture)} {start + (k * StepSeconds)}\n");
                }
            });
        }

        /// <summary>Writes _bucket, _sum and _count families of a histogram whose per-bucket rates are given (last = +Inf bucket only).</summary>
        private static void Histogram(StringBuilder text, string name, double[] bounds, Func<string, string> labels, (string Version, double Scale)[] versions, double[] perBucketRates)
        {
            Family(text, name + "_bucket", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    double cumulative = 0;
                    for (var i = 0; i <= bounds.Length; i++)
                    {
                        cumulative += perBucketRates[i] * scale;
                        var le = i < bounds.Length ? bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                        w($"{name}_bucket{{{labels(version)},le=\"{le}\"}}", cumulative);
                    }
                }
            });
            Family(text, name + "_sum", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    w($"{name}_sum{{{labels(version)}}}", bounds[2] * perBucketRates.Sum() * scale);
                }
            });
            Family(text, name + "_count", w =>
            {
                foreach (var (version, scale) in versions)
                {
                    w($"{name}_count{{{labels(version)}}}", perBucketRates.Sum() * scale);
                }
            });
        }
    }
}
