using Canary.Analysis.Metrics;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Simulation;

public sealed class SimulatedTrafficSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static SimulatedTrafficSource Source(int seed = 7, params SimulatedFault[] faults)
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.Faults = faults;
        return new SimulatedTrafficSource(model, seed);
    }

    private static TrafficQuery Query(LabelSelector selector, TimeSpan end, TimeSpan window, bool latency = false) =>
        new(selector, Start + end, window) { IncludeLatency = latency };

    [Fact]
    public void Rates_MatchTheModel_ForBothVersions()
    {
        var source = Source();
        var canary = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        var baseline = source.Read(Query(SimulatedTrafficSource.BaselineSelector, TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        var seconds = 7200.0;
        Assert.InRange(canary.TotalRequests / seconds, 100 * 0.05 * 0.97, 100 * 0.05 * 1.03);
        Assert.InRange(baseline.TotalRequests / seconds, 100 * 0.95 * 0.99, 100 * 0.95 * 1.01);
        Assert.InRange(1 - baseline.AggregateSuccessRate, 0.004, 0.006);
        Assert.InRange(canary.Endpoints["/rare"].Requests, 108 - (4 * 10.4), 108 + (4 * 10.4));
        Assert.Equal(25, canary.Endpoints.Count);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    public void ErrorBursts_KeepTheMeanRate_ArriveWholeInOneBucketAndVersion_AndAreSeeded(int size)
    {
        SimulatedTrafficSource Bursty(int seed)
        {
            var model = SimulatedTrafficModel.RareEndpointScenario(Start);
            model.ErrorBurstSize = size;
            model.ScrapeInterval = TimeSpan.FromMinutes(1);
            return new SimulatedTrafficSource(model, seed);
        }

        var source = Bursty(3);
        var baseline = source.Read(Query(SimulatedTrafficSource.BaselineSelector, TimeSpan.FromHours(24), TimeSpan.FromHours(24)));
        var canary = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(24), TimeSpan.FromHours(24)));

        // The same mean rate as independent errors (each request fails with probability 0.5 %), within the bursts' wider noise.
        Assert.InRange(1 - baseline.AggregateSuccessRate, 0.0047, 0.0053);
        Assert.InRange(1 - canary.AggregateSuccessRate, 0.0040, 0.0060);

        // A busy endpoint's baseline (about 228 requests a minute) fails whole blocks of B requests: minutes hold 0, B, 2B… or
        // a block plus the minute's last, partial block.
        var minutes = Enumerable.Range(1, 240).Select(m => source.Read(Query(SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(m), TimeSpan.FromMinutes(1))).Endpoints["/api/e01"]).ToList();
        var errors = minutes.Select(e => (long)e.Requests - (long)e.Successes).ToList();
        Assert.Contains(errors, e => e >= size);
        Assert.All(minutes.Zip(errors), p => Assert.True(p.Second % size == 0 || p.Second % size == (long)p.First.Requests % size, $"{p.Second} errors of {p.First.Requests}"));

        // Seeded and deterministic like the rest.
        Assert.Equal(canary.TotalRequests, Bursty(3).Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(24), TimeSpan.FromHours(24))).TotalRequests);
        Assert.Throws<ArgumentException>(() => new SimulatedTrafficSource(new SimulatedTrafficModel { Start = Start, Endpoints = [new() { Name = "/a", RequestsPerSecond = 1 }], ErrorBurstSize = 0 }, 1));
    }

    [Fact]
    public void OverlappingWindows_SeeTheSameBuckets_WhateverTheQueryOrder()
    {
        var first = Source(seed: 11);
        var whole = first.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)));
        var second = Source(seed: 11);
        var late = second.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(17)));
        var early = second.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(13)));
        foreach (var (name, traffic) in whole.Endpoints)
        {
            var parts = (early.Endpoints.TryGetValue(name, out var a) ? a.Requests : 0) + late.Endpoints[name].Requests;
            Assert.Equal(traffic.Requests, parts);
        }

        var other = Source(seed: 12).Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)));
        Assert.NotEqual(whole.TotalRequests, other.TotalRequests);
    }

    [Fact]
    public void Faults_ChangeOnlyTheCanary_FromTheirTime()
    {
        var source = Source(3, SimulatedFault.Errors(0.25, "/api/e01", after: TimeSpan.FromHours(1)));
        var before = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        var after = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        var baseline = source.Read(Query(SimulatedTrafficSource.BaselineSelector, TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        Assert.InRange(before.Endpoints["/api/e01"].SuccessRate, 0.98, 1);
        Assert.InRange(after.Endpoints["/api/e01"].SuccessRate, 0.70, 0.80);
        Assert.InRange(baseline.Endpoints["/api/e01"].SuccessRate, 0.99, 1);
        Assert.InRange(after.Endpoints["/api/e02"].SuccessRate, 0.98, 1);
    }

    [Fact]
    public void Latency_HistogramsCountEveryRequest_AndFollowTheDistribution()
    {
        var source = Source(5, SimulatedFault.Latency(3, "/api/e01"));
        var canary = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(3), TimeSpan.FromHours(3), latency: true));
        var baseline = source.Read(Query(SimulatedTrafficSource.BaselineSelector, TimeSpan.FromHours(3), TimeSpan.FromHours(3), latency: true));
        foreach (var traffic in canary.Endpoints.Values)
        {
            Assert.Equal(traffic.Requests, traffic.Latency!.Count);
            Assert.True(double.IsFinite(traffic.Latency.Sum));
        }

        // e01's median is 24 ms; prometheus-net buckets interpolate, so allow a bucket's worth of error.
        Assert.InRange(baseline.Endpoints["/api/e01"].Latency!.Quantile(0.5), 0.018, 0.032);
        Assert.InRange(canary.Endpoints["/api/e01"].Latency!.Quantile(0.5), 0.055, 0.09);
        Assert.InRange(baseline.Endpoints["/api/e01"].Latency!.Mean, 0.024, 0.031);

        // Latency is a separate stream: asking for it does not change the counts.
        var plain = Source(5, SimulatedFault.Latency(3, "/api/e01")).Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(3), TimeSpan.FromHours(3)));
        Assert.Equal(plain.TotalRequests, canary.TotalRequests);
    }

    [Fact]
    public void BeforeTheStart_NoTraffic_AndRareEndpointsAppearAfterTheirFirstRequest()
    {
        var source = Source();
        Assert.Empty(source.Read(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start, TimeSpan.FromMinutes(5))).Endpoints);
        var first = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(5)));
        Assert.DoesNotContain("/rare", first.Endpoints.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("version=\"stable\"")]
    [InlineData("version=~\"canary\"")]
    [InlineData("app=\"web\"")]
    public void Selector_OutsideTheLabelContract_FailsNeverEmpty(string selector)
    {
        var ex = Assert.Throws<MetricQueryException>(() => Source().Read(new TrafficQuery(LabelSelector.Parse(selector), Start + TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1))));
        Assert.Contains("version=\"canary\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selector_OtherMatchersAreIgnored()
    {
        var source = Source();
        var plain = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
        var more = source.Read(Query(LabelSelector.Parse("app=\"web\",version=\"canary\""), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
        Assert.Equal(plain.TotalRequests, more.TotalRequests);
    }

    [Fact]
    public void CanaryWeight_ChangesFromATime_ButNotInThePast()
    {
        var source = Source();
        _ = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));
        var ex = Assert.Throws<InvalidOperationException>(() => source.SetCanaryWeight(Start + TimeSpan.FromMinutes(5), 0.5));
        Assert.Contains("already generated", ex.Message, StringComparison.Ordinal);
        source.SetCanaryWeight(Start + TimeSpan.FromMinutes(10), 0.5);
        Assert.Equal(0.05, source.CanaryWeightAt(Start + TimeSpan.FromMinutes(9)));
        Assert.Equal(0.5, source.CanaryWeightAt(Start + TimeSpan.FromMinutes(10)));
        var later = source.Read(Query(SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(30)));
        Assert.InRange(later.TotalRequests / 1800, 45, 55);
    }

    [Fact]
    public void Model_Validation_NamesTheSetting()
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.Faults = [SimulatedFault.Errors(0.1, "/nope")];
        Assert.Contains("/nope", Assert.Throws<ArgumentException>(() => new SimulatedTrafficSource(model, 1)).Message, StringComparison.Ordinal);
        model.Faults = [];
        model.CanaryWeight = 1.5;
        Assert.Contains("CanaryWeight", Assert.Throws<ArgumentException>(() => new SimulatedTrafficSource(model, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_Daily_HasANightTroughAndAPeak()
    {
        var day = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(0.1, TrafficProfile.Daily.MultiplierAt(day.AddHours(3)), 6);
        Assert.Equal(1, TrafficProfile.Daily.MultiplierAt(day.AddHours(15.5)), 6);
        Assert.Equal(0.1, TrafficProfile.Daily.MultiplierAt(day.AddHours(3.5)), 6);
        Assert.Equal(1, TrafficProfile.Flat.MultiplierAt(day.AddHours(3)));
        Assert.Throws<ArgumentException>(() => new TrafficProfile([1, 2]));
    }
}
