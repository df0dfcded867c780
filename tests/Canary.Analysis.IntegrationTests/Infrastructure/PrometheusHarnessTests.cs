using Xunit.Abstractions;
using static Canary.Analysis.IntegrationTests.Infrastructure.StandardFixture;

namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// The standard fixture as each engine serves it: the same series, labels, resets and exact cumulative counts, so the
/// provider's tests on either engine read the same data (<see cref="PrometheusHarnessTests"/>, <see cref="VictoriaMetricsHarnessTests"/>).
/// </summary>
public abstract class PrometheusApiHarnessTests(PrometheusApiFixtureBase fixture)
{
    private RawPrometheusClient Prometheus => fixture.Client;

    [PrometheusFact]
    public void Server_listens_on_loopback() => Assert.Equal("127.0.0.1", fixture.Address.Host);

    [PrometheusFact]
    public async Task Canary_has_at_least_22_endpoints_at_the_end()
    {
        var count = await Prometheus.QuerySingleAsync(
            "count(count by (endpoint) (http_request_duration_seconds_count{job=\"aspnet\",version=\"canary\"}))", End);

        Assert.True(count >= 22, $"{count} endpoints");
        Assert.Equal(AspNetEndpointCount, (int)count);
        Assert.Equal(AspNetEndpointCount, fixture.Data.Endpoints(AspNetJob).Count);
    }

    [PrometheusFact]
    public async Task Counter_resets_are_visible_to_resets()
    {
        var resets = await Prometheus.QueryAsync(
            "sum by (pod) (resets(http_request_duration_seconds_count{job=\"aspnet\"}[15m]))", End);

        var baseline = Assert.Single(resets, r => r["pod"] == AspNetRestartedBaselinePod);
        Assert.True(baseline.Value >= 5, $"{baseline.Value} resets on the restarted baseline pod");
        Assert.DoesNotContain(resets, r => r["pod"] != AspNetRestartedBaselinePod && r.Value > 0);

        var canary = await Prometheus.QuerySingleAsync(
            $"sum(resets(http_request_duration_seconds_count{{job=\"aspnet\",pod=\"{AspNetCanaryPod}\"}}[15m]))",
            AspNetCanaryRestart.AddMinutes(5));
        Assert.True(canary >= 5, $"{canary} resets on the canary pod");
    }

    [PrometheusFact]
    public async Task Rare_endpoint_has_no_canary_request_in_the_last_window()
    {
        var canary = await Prometheus.QuerySingleAsync(
            $"sum(increase(http_request_duration_seconds_count{{job=\"aspnet\",version=\"canary\",endpoint=\"{AspNetRareEndpoint}\"}}[15m]))", End);
        var earlier = await Prometheus.QuerySingleAsync(
            $"sum(http_request_duration_seconds_count{{job=\"aspnet\",version=\"canary\",endpoint=\"{AspNetRareEndpoint}\"}})",
            RareCanaryRequests[1].AddMinutes(1));

        Assert.Equal(0, canary);
        Assert.Equal(2, earlier);
        Assert.Equal(0, fixture.Data.RequestCount(AspNetJob, FixtureVersions.Canary, AspNetRareEndpoint, from: End - Window, to: End));
    }

    [PrometheusFact]
    public async Task Reduced_cardinality_job_uses_status_classes()
    {
        var codes = await Prometheus.QueryAsync(
            "count by (code) (http_request_duration_seconds_count{job=\"aspnet-reduced\"})", End);

        Assert.Contains(codes, c => c["code"] == "2xx");
        Assert.All(codes, c => Assert.Matches("^[1-5]xx$", c["code"]));
    }

    [PrometheusFact]
    public async Task Express_job_uses_path_and_status_code()
    {
        var series = await Prometheus.QueryAsync(
            "count by (path, status_code) (http_request_duration_seconds_count{job=\"express\",version=\"canary\"})", End);

        Assert.Contains(series, s => s["path"] == ExpressFailingPath && s["status_code"] == "500");
        Assert.All(series, s => Assert.Empty(s["endpoint"]));
    }

    [PrometheusFact]
    public async Task Failing_rare_endpoint_hides_in_a_healthy_aggregate()
    {
        const string selector = "job=\"aspnet\",version=\"canary\"";
        var aggregate = await Prometheus.QuerySingleAsync(
            $"sum(increase(http_request_duration_seconds_count{{{selector},code=~\"2..\"}}[30m])) / sum(increase(http_request_duration_seconds_count{{{selector}}}[30m]))", End);
        var failing = await Prometheus.QuerySingleAsync(
            $"sum(increase(http_request_duration_seconds_count{{{selector},endpoint=\"{AspNetFailingEndpoint}\",code=~\"2..\"}}[30m])) / sum(increase(http_request_duration_seconds_count{{{selector},endpoint=\"{AspNetFailingEndpoint}\"}}[30m]))", End);

        Assert.True(aggregate >= 0.98, $"aggregate canary success rate {aggregate}");
        Assert.True(failing <= 0.9, $"failing endpoint canary success rate {failing}");
    }

    [PrometheusFact]
    public async Task All_errors_endpoint_has_no_2xx_series()
    {
        var codes = await Prometheus.QueryAsync(
            $"count by (code) (http_request_duration_seconds_count{{job=\"aspnet\",endpoint=\"{AspNetAllErrorsEndpoint}\"}})", End);

        Assert.Equal(["503"], codes.Select(c => c["code"]));
    }

    [PrometheusFact]
    public async Task Exact_counts_match_prometheus_where_no_extrapolation_happens()
    {
        // Whole-fixture totals on a pod without restarts: the last sample is the exact cumulative count.
        var fromPrometheus = await Prometheus.QueryAsync(
            "sum by (endpoint, code) (http_request_duration_seconds_count{job=\"aspnet\",pod=\"web-baseline-0\"})", End);

        Assert.True(fromPrometheus.Count > AspNetEndpointCount, $"{fromPrometheus.Count} (endpoint, code) pairs");
        Assert.All(fromPrometheus, s => Assert.Equal(
            fixture.Data.RequestCount(AspNetJob, FixtureVersions.Baseline, s["endpoint"], s["code"], pod: "web-baseline-0"),
            (long)s.Value));

        // Prometheus' increase() extrapolates to the window edges: close to, not equal to, the exact count. VictoriaMetrics'
        // (MetricsQL) does not extrapolate and starts from the last sample before the window: the exact count here.
        var increase = await Prometheus.QuerySingleAsync(
            $"sum(increase(http_request_duration_seconds_count{{job=\"aspnet\",version=\"canary\",endpoint=\"{AspNetBusiestEndpoint}\"}}[15m]))", End);
        var exact = fixture.Data.RequestCount(AspNetJob, FixtureVersions.Canary, AspNetBusiestEndpoint, from: End - Window, to: End);
        Assert.InRange(increase / exact, 0.9, 1.1);
        if (fixture.Engine == PrometheusApiEngine.VictoriaMetrics)
        {
            Assert.Equal(exact, increase);
        }
    }
}

[Collection(PrometheusCollectionDefinition.Name)]
public sealed class PrometheusHarnessTests(PrometheusFixture fixture, ITestOutputHelper output) : PrometheusApiHarnessTests(fixture)
{
    [PrometheusFact]
    public void Server_starts_quickly()
    {
        output.WriteLine($"{fixture.Data.SeriesCount} series; backfill {fixture.Server.BackfillDuration}, start-up {fixture.Server.StartupDuration}");
        Assert.True(fixture.Server.StartupDuration < TimeSpan.FromSeconds(10), $"start-up took {fixture.Server.StartupDuration}");
    }
}

[Collection(VictoriaMetricsCollectionDefinition.Name)]
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class VictoriaMetricsHarnessTests(VictoriaMetricsFixture fixture, ITestOutputHelper output) : PrometheusApiHarnessTests(fixture)
{
    [PrometheusFact]
    public void Server_starts_quickly()
    {
        output.WriteLine($"{fixture.Server.ImportedSamples} samples; import {fixture.Server.ImportDuration}, start-up {fixture.Server.StartupDuration}");
        Assert.True(fixture.Server.StartupDuration < TimeSpan.FromSeconds(20), $"start-up took {fixture.Server.StartupDuration}");
    }
}
