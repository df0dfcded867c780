using Canary.Analysis.Metrics.Scrape;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Prometheus;

namespace Canary.Analysis.Tests.Metrics.Scrape;

/// <summary>
/// Windows read at arbitrary look times between scrapes tile: each counts exactly the increments of the scrapes in
/// (start, end] (boundaries at the last scrape at or before), none lost between looks, none counted twice.
/// </summary>
public sealed class CounterHistoryTilingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TrafficConvention Convention = new() { Name = "test", RequestCountMetric = "http_requests_total", EndpointLabel = "endpoint", StatusLabel = "code" };

    [Fact]
    public async Task ReadAsync_JitteredLooksBetweenScrapes_WindowsTileExactly()
    {
        var registry = global::Prometheus.Metrics.NewCustomRegistry();
        var counter = global::Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter(
            "http_requests_total", "test", new CounterConfiguration { LabelNames = ["code", "endpoint"] });
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(registry, Convention, timeProvider: clock);
        var random = new Random(11);
        var scrapeTimes = new List<DateTimeOffset>();
        var okAt = new List<long>();
        var errorsAt = new List<long>();
        long ok = 0, errors = 0;
        await source.CollectAsync();
        scrapeTimes.Add(clock.Now);
        okAt.Add(0);
        errorsAt.Add(0);
        for (var k = 1; k <= 40; k++)
        {
            var n = random.Next(0, 30);
            counter.WithLabels("200", "/pay").Inc(n);
            ok += n;
            if (k >= 13 && k % 3 == 0)
            {
                // The error series appears mid-way (first increment), as prometheus-net creates it.
                counter.WithLabels("500", "/pay").Inc(k % 2 + 1);
                errors += k % 2 + 1;
            }

            clock.Advance(TimeSpan.FromSeconds(15));
            await source.CollectAsync();
            scrapeTimes.Add(clock.Now);
            okAt.Add(ok);
            errorsAt.Add(errors);
        }

        clock.Advance(TimeSpan.FromMinutes(1)); // every read below is of the past: no further collection
        var look = T0 + TimeSpan.FromSeconds(7.3);
        double seenRequests = 0, seenErrors = 0;
        while (true)
        {
            var next = look + TimeSpan.FromSeconds(60) + TimeSpan.FromTicks(random.Next(-9_000_000, 9_000_000));
            if (next > scrapeTimes[^1])
            {
                break;
            }

            var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, next, next - look) { Counting = TrafficCounting.CounterDifference });
            var before = scrapeTimes.FindLastIndex(t => t <= look);
            var after = scrapeTimes.FindLastIndex(t => t <= next);
            var pay = snapshot.Endpoints["/pay"];
            Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Gaps));
            Assert.Equal(okAt[after] - okAt[before] + errorsAt[after] - errorsAt[before], pay.Requests);
            Assert.Equal(errorsAt[after] - errorsAt[before], pay.Failures);
            seenRequests += pay.Requests;
            seenErrors += pay.Failures;
            look = next;
        }

        var last = scrapeTimes.FindLastIndex(t => t <= look);
        var first = scrapeTimes.FindLastIndex(t => t <= T0 + TimeSpan.FromSeconds(7.3));
        Assert.Equal(okAt[last] - okAt[first] + errorsAt[last] - errorsAt[first], seenRequests);
        Assert.Equal(errorsAt[last] - errorsAt[first], seenErrors);
    }

    [Fact]
    public async Task ReadAsync_ResetBetweenLooks_FollowedFromZero()
    {
        var values = new Queue<string>(["10", "25", "4", "9"]);
        var clock = new ManualTimeProvider(T0);
        var source = new PrometheusNetRegistryTrafficSource(
            async (stream, token) =>
            {
                var text = $"http_requests_total{{code=\"200\",endpoint=\"/a\"}} {values.Dequeue()}\n";
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), token);
            },
            Convention,
            retention: null,
            clock);
        for (var i = 0; i < 4; i++)
        {
            await source.CollectAsync();
            clock.Advance(TimeSpan.FromSeconds(15));
        }

        // Scrapes at 0, 15, 30 (reset: 25 → 4), 45 s; looks at 20.5 s and 50 s.
        var first = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, T0.AddSeconds(20.5), TimeSpan.FromSeconds(20.5)));
        var second = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, T0.AddSeconds(50), TimeSpan.FromSeconds(29.5)));

        Assert.Equal(15, first.Endpoints["/a"].Requests);
        Assert.Equal(4 + 5, second.Endpoints["/a"].Requests);
        Assert.Contains(second.Warnings, w => w.Contains("reset", StringComparison.Ordinal));
    }
}
