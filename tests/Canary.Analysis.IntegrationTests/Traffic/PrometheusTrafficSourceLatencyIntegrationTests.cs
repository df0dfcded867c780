using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using static Canary.Analysis.IntegrationTests.Infrastructure.StandardFixture;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// Per-endpoint latency read by the library against the engine's own <c>histogram_quantile</c> and mean, on Prometheus
/// (<see cref="PrometheusTrafficSourceLatencyOnPrometheusTests"/>) and VictoriaMetrics
/// (<see cref="PrometheusTrafficSourceLatencyOnVictoriaMetricsTests"/>).
/// </summary>
public abstract class PrometheusTrafficSourceLatencyIntegrationTests(PrometheusApiFixtureBase prometheus) : IDisposable
{
    private readonly PrometheusMetricProvider _provider = new(new PrometheusOptions { Address = prometheus.Address });

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    [PrometheusTheory]
    [InlineData(AspNetJob, FixtureVersions.Canary, 0.99)]
    [InlineData(AspNetJob, FixtureVersions.Baseline, 0.5)]
    [InlineData(ExpressJob, FixtureVersions.Canary, 0.9)]
    [InlineData(ExpressJob, FixtureVersions.Baseline, 0.99)]
    public async Task ReadAsync_WithLatency_QuantilesEqualHistogramQuantilePerEndpoint(string job, string version, double q)
    {
        var shape = JobShape.ByJob(job);
        var selector = $"job=\"{job}\",version=\"{version}\"";
        var oracle = await prometheus.Client.QueryAsync(
            $"histogram_quantile({q}, sum by ({shape.EndpointLabel}, le) (increase(http_request_duration_seconds_bucket{{{selector}}}[900s])))", End);

        var snapshot = await new PrometheusTrafficSource(_provider, shape.Convention)
            .ReadAsync(new TrafficQuery(shape.Selector(version), End, Window) { IncludeLatency = true });

        Assert.NotEmpty(oracle);
        foreach (var sample in oracle)
        {
            var endpoint = sample[shape.EndpointLabel];
            var actual = snapshot.Endpoints[endpoint].Latency!.Quantile(q);
            if (double.IsNaN(sample.Value))
            {
                Assert.True(double.IsNaN(actual), $"{endpoint}: Prometheus NaN, library {actual}");
            }
            else
            {
                Close.Equal(sample.Value, actual, what: $"{endpoint} p{q * 100}");
            }
        }
    }

    [PrometheusFact]
    public async Task ReadAsync_WithLatency_MeanEqualsSumOverCount()
    {
        const string selector = "job=\"aspnet\",version=\"canary\"";
        var oracle = await prometheus.Client.QueryAsync(
            $"sum by (endpoint) (increase(http_request_duration_seconds_sum{{{selector}}}[900s])) / sum by (endpoint) (increase(http_request_duration_seconds_count{{{selector}}}[900s]))", End);

        var snapshot = await new PrometheusTrafficSource(_provider, TrafficConvention.PrometheusNet)
            .ReadAsync(new TrafficQuery(JobShape.AspNet.Selector(FixtureVersions.Canary), End, Window) { IncludeLatency = true });

        Assert.NotEmpty(oracle);
        foreach (var sample in oracle.Where(s => !double.IsNaN(s.Value)))
        {
            Close.Equal(sample.Value, snapshot.Endpoints[sample["endpoint"]].Latency!.Mean, what: sample["endpoint"]);
        }
    }

    [PrometheusFact]
    public async Task LatencyEvaluator_SlowCanaryEndpoint_FailsAgainstBaselineAtPrometheusNumbers()
    {
        var source = new PrometheusTrafficSource(_provider, TrafficConvention.PrometheusNet);
        var window = TimeSpan.FromMinutes(60);
        var canary = await source.ReadAsync(new TrafficQuery(JobShape.AspNet.Selector(FixtureVersions.Canary), End, window) { IncludeLatency = true });
        var baseline = await source.ReadAsync(new TrafficQuery(JobShape.AspNet.Selector(FixtureVersions.Baseline), End, window) { IncludeLatency = true });
        var weights = new EndpointWeights { [AspNetSlowCanaryEndpoint] = 1, [AspNetBusiestEndpoint] = 1 };

        var result = LatencyEvaluator.Evaluate(canary, new LatencyCriteria { Weights = weights, Quantile = 0.9, MaximumIncrease = 0.2 }, baseline);

        var p90 = $"histogram_quantile(0.9, sum(increase(http_request_duration_seconds_bucket{{job=\"aspnet\",version=\"VERSION\",endpoint=\"{AspNetSlowCanaryEndpoint}\"}}[3600s])) by (le))";
        var canaryP90 = await prometheus.Client.QuerySingleAsync(p90.Replace("VERSION", "canary", StringComparison.Ordinal), End);
        var baselineP90 = await prometheus.Client.QuerySingleAsync(p90.Replace("VERSION", "baseline", StringComparison.Ordinal), End);
        Assert.True(canaryP90 > (baselineP90 * 1.2) + 0.005, $"fixture: canary p90 {canaryP90} should exceed baseline {baselineP90} by > 20 %");
        Assert.Equal(Verdict.Fail, result.Verdict);
        var slow = result.Endpoints.Single(e => e.Endpoint == AspNetSlowCanaryEndpoint);
        Assert.Equal(EndpointStatus.LimitBreached, slow.Status);
        Close.Equal(canaryP90, slow.Value, what: "canary p90");
        Close.Equal(baselineP90, slow.BaselineValue, what: "baseline p90");
        Assert.Contains(AspNetSlowCanaryEndpoint, result.Reason, StringComparison.Ordinal);
    }
}

[Collection(PrometheusCollectionDefinition.Name)]
public sealed class PrometheusTrafficSourceLatencyOnPrometheusTests(PrometheusFixture prometheus) : PrometheusTrafficSourceLatencyIntegrationTests(prometheus);

[Collection(VictoriaMetricsCollectionDefinition.Name)]
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class PrometheusTrafficSourceLatencyOnVictoriaMetricsTests(VictoriaMetricsFixture victoriaMetrics) : PrometheusTrafficSourceLatencyIntegrationTests(victoriaMetrics);
