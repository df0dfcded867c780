using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>The simulator's Prometheus-shaped reads: <c>increase()</c> over scraped counters versus exact counter differences.</summary>
public sealed class SimulatedPrometheusIncreaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static SimulatedTrafficSource Source(bool prometheusIncrease, bool initialized = false)
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.PrometheusIncrease = prometheusIncrease;
        model.PrometheusCountersInitialized = initialized;
        return new SimulatedTrafficSource(model, 5);
    }

    [Fact]
    public void IncreaseRead_OneMinuteOnTheScrapes_IsTheLastThreeIntervalsTimesFourThirds()
    {
        var source = Source(prometheusIncrease: true);
        var end = Start.AddMinutes(10);

        // Prometheus 3's range (end − 60 s, end] holds the scrapes at −45, −30, −15 and 0 s: the interval (−60, −45] is lost
        // to this window and the 45 s sampled are extrapolated to 60 s.
        var increase = source.Read(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, end, TimeSpan.FromMinutes(1)));
        var sampled = source.Read(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, end, TimeSpan.FromSeconds(45)) { Counting = TrafficCounting.CounterDifference });

        var busy = "/api/e01";
        Assert.Equal(sampled.Endpoints[busy].Successes * 4 / 3, increase.Endpoints[busy].Successes, 9);
        Assert.Equal(sampled.Endpoints[busy].Requests * 4 / 3, increase.Endpoints[busy].Requests, 9);
    }

    [Fact]
    public void CounterDifferenceReads_AreTheSameWithOrWithoutTheMode_AndTileExactly()
    {
        var shaped = Source(prometheusIncrease: true);
        var plain = Source(prometheusIncrease: false);
        var look = Start.AddSeconds(37.25);
        double tiled = 0;
        for (var i = 0; i < 12; i++)
        {
            var next = look.AddSeconds(60.3);
            var query = new TrafficQuery(SimulatedTrafficSource.CanarySelector, next, next - look) { Counting = TrafficCounting.CounterDifference };
            var a = shaped.Read(query);
            Assert.Equal(plain.Read(query).TotalRequests, a.TotalRequests);
            Assert.Equal(Math.Round(a.TotalRequests), a.TotalRequests);
            tiled += a.TotalRequests;
            look = next;
        }

        var whole = shaped.Read(new TrafficQuery(SimulatedTrafficSource.CanarySelector, look, look - Start.AddSeconds(37.25)) { Counting = TrafficCounting.CounterDifference });
        Assert.Equal(whole.TotalRequests, tiled);
    }

    [Fact]
    public void IncreaseReads_WithoutTheMode_AreExactDifferences()
    {
        var plain = Source(prometheusIncrease: false);
        var query = new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start.AddMinutes(5), TimeSpan.FromMinutes(1));

        Assert.Equal(plain.Read(query).TotalRequests, plain.Read(new TrafficQuery(query.Selector, query.End, query.Window) { Counting = TrafficCounting.CounterDifference }).TotalRequests);
    }

    [Fact]
    public void IncreaseReads_FractionalAndLosingTheIncrementsBetweenLooks()
    {
        var source = Source(prometheusIncrease: true);
        var fractional = false;
        for (var minute = 1; minute <= 13; minute++)
        {
            var end = Start.AddMinutes(minute).AddMilliseconds(400);
            var read = source.Read(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, end, TimeSpan.FromMinutes(1)));
            fractional |= read.Endpoints.Values.Any(e => e.Requests != Math.Round(e.Requests));
        }

        Assert.True(fractional);
    }

    [Fact]
    public void IncreaseReads_ASeriesBornWithItsFirstIncrement_HidesIt_UnlessInitialised()
    {
        var born = Source(prometheusIncrease: true);
        var initialised = Source(prometheusIncrease: true, initialized: true);
        var scrape = Start;
        double first;
        do
        {
            scrape = scrape.AddSeconds(15);
            first = born.Read(new TrafficQuery(SimulatedTrafficSource.CanarySelector, scrape, scrape - Start) { Counting = TrafficCounting.CounterDifference }).Endpoints.GetValueOrDefault("/rare")?.Requests ?? 0;
        }
        while (first == 0);

        // (scrape − 20 s, scrape] holds the scrape before the first request (value 0) and the one after it.
        var query = new TrafficQuery(SimulatedTrafficSource.CanarySelector, scrape, TimeSpan.FromSeconds(20));
        Assert.Equal(0, born.Read(query).Endpoints.GetValueOrDefault("/rare")?.Requests ?? 0);
        Assert.Equal(first, initialised.Read(query).Endpoints["/rare"].Requests, 9);
    }
}
