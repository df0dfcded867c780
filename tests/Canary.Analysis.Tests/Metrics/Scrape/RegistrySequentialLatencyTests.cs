using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics.Scrape;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Prometheus;

namespace Canary.Analysis.Tests.Metrics.Scrape;

/// <summary>
/// <see cref="SequentialLatencyCheck"/> on an in-process prometheus-net registry: the registry source already gives exact
/// histogram differences between looks, so the check's slow and total counts are the observations themselves.
/// </summary>
public sealed class RegistrySequentialLatencyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SloBound_CountsEveryObservationOnce_AndFailsTheSlowCanary()
    {
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var histogram = global::Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "http_request_duration_seconds", "test", new HistogramConfiguration { LabelNames = ["code", "endpoint", "version"], Buckets = [0.1, 0.5, 1] });
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, TrafficConvention.PrometheusNet, timeProvider: clock);
        var check = new SequentialLatencyCheck(source, LabelSelector.Parse("version=\"canary\""), LabelSelector.Parse("version=\"baseline\""), TimeSpan.FromMinutes(1),
            new SequentialLatencyCriteria { LatencyBound = TimeSpan.FromMilliseconds(500) });
        await source.CollectAsync();

        CheckResult? result = null;
        for (var minute = 1; minute <= 6; minute++)
        {
            for (var i = 0; i < 100; i++)
            {
                histogram.WithLabels("200", "/a", "baseline").Observe(i == 0 ? 0.7 : 0.05);
                histogram.WithLabels("200", "/b", "baseline").Observe(i == 0 ? 2 : 0.05);
            }

            for (var i = 0; i < 10; i++)
            {
                histogram.WithLabels("200", "/a", "canary").Observe(i < 5 ? 0.7 : 0.3);
                histogram.WithLabels("200", "/b", "canary").Observe(0.05);
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            result = await check.MeasureAsync(clock.Now);
        }

        var a = check.Evidence.Test.Endpoints.Single(e => e.Endpoint == "/a");
        Assert.Equal((60L, 30L, 600L, 6L), (a.CanaryRequests, a.CanaryErrors, a.BaselineRequests, a.BaselineErrors));
        Assert.Equal(Verdict.Fail, result!.Verdict);
        Assert.StartsWith("/a: canary slow requests 30/60 (50%) vs baseline 6/600 (1%)", result.Reason, StringComparison.Ordinal);
    }
}
