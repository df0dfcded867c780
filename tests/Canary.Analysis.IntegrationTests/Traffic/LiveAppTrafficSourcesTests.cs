using System.Globalization;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.IntegrationTests.Traffic.LiveApp;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>
/// Proof for the scrape and in-process sources: a live ASP.NET Core app on 127.0.0.1, instrumented with
/// prometheus-net.AspNetCore on its own registry, is driven with a KNOWN number of requests per endpoint and status.
/// </summary>
public sealed class LiveAppTrafficSourcesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LabelSelector ApiOnly = LabelSelector.Parse("endpoint=~\"/api/.*\"");

    /// <summary>Asserts the snapshot holds exactly the known traffic (plus <paramref name="extraPerSeries"/> per series).</summary>
    internal static void AssertKnownTraffic(TrafficSnapshot snapshot, string source, int extraPerSeries = 0)
    {
        Assert.True(snapshot.Warnings.Count == 0, $"{source}: {string.Join(" | ", snapshot.Warnings)}");
        Assert.Equal(["/api/a", "/api/b", "/api/c"], snapshot.Endpoints.Keys.Order(StringComparer.Ordinal));
        var a = snapshot.Endpoints["/api/a"];
        var b = snapshot.Endpoints["/api/b"];
        var c = snapshot.Endpoints["/api/c"];
        Assert.Equal((40.0 + extraPerSeries, 40.0 + extraPerSeries), (a.Requests, a[StatusClass.Success]));
        Assert.Equal((25.0 + extraPerSeries, 5.0 + extraPerSeries), (b[StatusClass.Success], b[StatusClass.ServerError]));
        Assert.Equal(30.0 + (2 * extraPerSeries), b.Requests);
        Assert.Equal((3.0 + extraPerSeries, 3.0 + extraPerSeries), (c.Requests, c[StatusClass.ClientError]));
        foreach (var endpoint in snapshot.Endpoints.Values)
        {
            Assert.NotNull(endpoint.Latency);
            Assert.Equal(endpoint.Requests, endpoint.Latency.Count);
            Assert.True(endpoint.Latency.Sum > 0, $"{source}: {endpoint.Endpoint} latency sum {endpoint.Latency.Sum}");
        }
    }

    [Fact]
    public async Task ScrapeAndRegistrySources_LiveApp_ExactCountsPerEndpointAndClass()
    {
        await using var app = await InstrumentedApp.StartAsync();
        Assert.Equal("application/openmetrics-text", await app.MetricsMediaTypeAsync("application/openmetrics-text;version=1.0.0"));
        Assert.Equal("text/plain", await app.MetricsMediaTypeAsync("text/plain;version=0.0.4"));

        var clock = new ManualClock(T0);
        using var openMetrics = new ScrapeTrafficSource([app.MetricsAddress], TrafficConvention.PrometheusNet, new ScrapeOptions { PreferOpenMetrics = true }, clock);
        using var text = new ScrapeTrafficSource([app.MetricsAddress], TrafficConvention.PrometheusNet, new ScrapeOptions { PreferOpenMetrics = false }, clock);
        var registry = new PrometheusNetRegistryTrafficSource(app.Registry, TrafficConvention.PrometheusNet, timeProvider: clock);

        // Before: no /api series exist yet, so every series appears mid-window and counts from 0.
        await openMetrics.ScrapeAsync();
        await text.ScrapeAsync();
        await registry.CollectAsync();

        await app.DriveKnownTrafficAsync();

        clock.Now = T0.AddSeconds(10);
        await openMetrics.ScrapeAsync();
        await text.ScrapeAsync();
        var query = new TrafficQuery(ApiOnly, clock.Now, TimeSpan.FromSeconds(10)) { IncludeLatency = true };

        AssertKnownTraffic(await openMetrics.ReadAsync(query), "scrape (OpenMetrics)");
        AssertKnownTraffic(await text.ReadAsync(query), "scrape (text 0.0.4)");
        AssertKnownTraffic(await registry.ReadAsync(query), "registry"); // collects at the window's end itself
    }

    /// <summary>
    /// A real Prometheus scrapes the same app every second. Prometheus' <c>increase()</c> never counts a new series from 0
    /// and extrapolates to the window's edges, so: one warm-up request per series first (all series exist before the
    /// window), then the window is chosen on Prometheus' own sample timestamps — it ends exactly at a sample taken after
    /// the traffic (no extrapolation at the end) and starts 1 ms before a sample taken before the traffic (extrapolation
    /// of 1 ms over ≥ 1 s, i.e. ≤ 0.1 %). Rounded, Prometheus' counts equal the exact counts, and equal both sources'.
    /// </summary>
    [PrometheusFact]
    public async Task PrometheusSource_ScrapingTheSameApp_AgreesWithScrapeAndRegistrySources()
    {
        await using var app = await InstrumentedApp.StartAsync();
        var config = $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: app
                static_configs:
                  - targets: ['{app.Address.Authority}']
            """;
        await using var server = await PrometheusServer.StartWithConfigAsync(config);
        using var raw = new RawPrometheusClient(server.Address);
        const string series = "http_request_duration_seconds_count{job=\"app\",endpoint=~\"/api/.*\"}";

        foreach (var (path, status, _) in InstrumentedApp.KnownTraffic)
        {
            await app.DriveAsync(path, status, 1); // warm-up: every series exists (value 1) before the window
        }

        await WaitForAsync(raw, $"sum({series})", 4);
        var start = await LatestSampleTimeAsync(raw, series);

        var clock = new ManualClock(T0);
        using var scrape = new ScrapeTrafficSource([app.MetricsAddress], TrafficConvention.PrometheusNet, timeProvider: clock);
        var registry = new PrometheusNetRegistryTrafficSource(app.Registry, TrafficConvention.PrometheusNet, timeProvider: clock);
        await scrape.ScrapeAsync();
        await registry.CollectAsync();

        await app.DriveKnownTrafficAsync();

        clock.Now = T0.AddSeconds(10);
        await scrape.ScrapeAsync();
        var ours = new TrafficQuery(ApiOnly, clock.Now, TimeSpan.FromSeconds(10)) { IncludeLatency = true };
        var fromScrape = await scrape.ReadAsync(ours);
        var fromRegistry = await registry.ReadAsync(ours);
        AssertKnownTraffic(fromScrape, "scrape");
        AssertKnownTraffic(fromRegistry, "registry");

        await WaitForAsync(raw, $"sum({series})", 4 + 73);
        var end = await LatestSampleTimeAsync(raw, series);
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address });
        var prometheusSource = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var window = end - start + TimeSpan.FromMilliseconds(1);
        var fromPrometheus = await prometheusSource.ReadAsync(
            new TrafficQuery(LabelSelector.Parse("job=\"app\",endpoint=~\"/api/.*\""), end, window) { IncludeLatency = true });

        Assert.Equal(fromScrape.Endpoints.Keys.Order(StringComparer.Ordinal), fromPrometheus.Endpoints.Keys.Order(StringComparer.Ordinal));
        var tolerance = 1e-3 / (end - start).TotalSeconds; // relative extrapolation: 1 ms over the sampled interval
        foreach (var (name, exact) in fromScrape.Endpoints)
        {
            var prometheus = fromPrometheus.Endpoints[name];
            foreach (var statusClass in Enum.GetValues<StatusClass>())
            {
                var expected = exact[statusClass];
                Assert.Equal(expected, fromRegistry.Endpoints[name][statusClass]);
                Assert.True(
                    Math.Abs(prometheus[statusClass] - expected) <= (expected * tolerance * 1.01) + 1e-9 && Math.Round(prometheus[statusClass]) == expected,
                    string.Create(CultureInfo.InvariantCulture, $"{name} {statusClass}: Prometheus {prometheus[statusClass]}, exact {expected} (window {window})"));
            }

            Assert.Equal(exact.Latency!.Count, Math.Round(prometheus.Latency!.Count));
            var exactBuckets = exact.Latency.Buckets.ToDictionary(bucket => bucket.UpperBound, bucket => bucket.CumulativeCount);
            foreach (var (bound, count) in prometheus.Latency.Buckets)
            {
                Assert.Equal(exactBuckets[bound], Math.Round(count));
            }
        }
    }

    private static async Task WaitForAsync(RawPrometheusClient raw, string promql, double expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        double? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var result = await raw.QueryAsync(promql, DateTimeOffset.UtcNow);
            last = result.Count == 1 ? result[0].Value : null;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Fail($"Prometheus did not reach {promql} = {expected} within 30 s (last: {last?.ToString(CultureInfo.InvariantCulture) ?? "no data"}).");
    }

    /// <summary>The timestamp of the newest sample of the series (all series of one scrape share it).</summary>
    private static async Task<DateTimeOffset> LatestSampleTimeAsync(RawPrometheusClient raw, string series)
    {
        var seconds = await raw.QuerySingleAsync($"max(timestamp({series}))", DateTimeOffset.UtcNow);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }
}
