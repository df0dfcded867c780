using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Prometheus;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Tests.Metrics.Scrape;

public sealed class PrometheusNetRegistryTrafficSourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_CustomRegistry_ExactCountsAndLatency()
    {
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var histogram = global::Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "http_request_duration_seconds", "test", new HistogramConfiguration { LabelNames = ["code", "endpoint"], Buckets = [0.1, 1] });
        histogram.WithLabels("200", "/a").Observe(0.05); // before the window
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, TrafficConvention.PrometheusNet, timeProvider: clock);
        await source.CollectAsync();

        for (var i = 0; i < 7; i++)
        {
            histogram.WithLabels("200", "/a").Observe(0.05);
        }

        histogram.WithLabels("500", "/a").Observe(0.5);
        histogram.WithLabels("200", "/b").Observe(2);
        clock.Advance(TimeSpan.FromMinutes(1));
        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, clock.Now, TimeSpan.FromMinutes(1)) { IncludeLatency = true });

        Assert.Empty(snapshot.Warnings);
        Assert.Equal((8.0, 7.0), (snapshot.Endpoints["/a"].Requests, snapshot.Endpoints["/a"].Successes));
        Assert.Equal(1, snapshot.Endpoints["/b"].Requests);
        Assert.Equal([(0.1, 7.0), (1.0, 8.0), (double.PositiveInfinity, 8.0)], snapshot.Endpoints["/a"].Latency!.Buckets);
        Assert.Equal(0.85, snapshot.Endpoints["/a"].Latency!.Sum, 9);
    }

    [Fact]
    public async Task ReadAsync_NeverCollectedBeforeWindow_EmptyWithWarning()
    {
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, TrafficConvention.PrometheusNet, timeProvider: clock);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, T0, TimeSpan.FromMinutes(1)));

        Assert.Empty(snapshot.Endpoints);
        Assert.Contains(snapshot.Warnings, w => w.Contains("unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_RegistryFailsToExport_TargetUnreachableGap()
    {
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var histogram = global::Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "http_request_duration_seconds", "test", new HistogramConfiguration { LabelNames = ["code", "endpoint"] });
        var failing = false;
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(
            (stream, token) => failing
                ? throw new InvalidOperationException("collector broke")
                : registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.PrometheusText, token),
            TrafficConvention.PrometheusNet,
            retention: null,
            clock);
        histogram.WithLabels("200", "/a").Observe(0.1);
        await source.CollectAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        histogram.WithLabels("200", "/a").Observe(0.1);
        await source.CollectAsync();
        failing = true;
        histogram.WithLabels("500", "/a").Observe(0.1);
        clock.Advance(TimeSpan.FromSeconds(30));

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, clock.Now, TimeSpan.FromMinutes(1)));

        Assert.True(snapshot.Gaps.Count == 1, string.Join(" | ", snapshot.Warnings));
        var gap = snapshot.Gaps[0];
        Assert.Equal(DataGapKind.TargetUnreachable, gap.Kind);
        Assert.Contains("registry: no successful scrape since 2026-01-01T00:00:30.000Z", gap.Description, StringComparison.Ordinal);
        Assert.Contains("collector broke", gap.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_OnARealClock_ALookReadAMomentAfterItsTime_CountsEveryRequestOnce()
    {
        // A real clock has moved on by the time a check's read runs: the window ends a few hundred ms before "now".
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var histogram = global::Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram(
            "http_request_duration_seconds", "test", new HistogramConfiguration { LabelNames = ["code", "endpoint"] });
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, TrafficConvention.PrometheusNet, timeProvider: clock);
        await source.CollectAsync();
        var requests = 0.0;

        for (var look = 1; look <= 5; look++)
        {
            for (var i = 0; i < look; i++)
            {
                histogram.WithLabels("200", "/a").Observe(0.1);
            }

            var end = T0 + TimeSpan.FromMinutes(look);
            clock.Advance(end + TimeSpan.FromMilliseconds(100 * look) - clock.Now);
            var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, end, TimeSpan.FromMinutes(1)));
            Assert.Equal(look, snapshot.Endpoints["/a"].Requests);
            requests += snapshot.Endpoints["/a"].Requests;
        }

        Assert.Equal(15, requests);
    }
}
