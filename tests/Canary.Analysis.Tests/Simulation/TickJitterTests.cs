using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Simulation;

public sealed class TickJitterTests
{
    [Fact]
    public void DelayOf_IsSeededWithinRange_AtTickPrecision()
    {
        var jitter = TickJitter.SubSecond(5);
        var delays = Enumerable.Range(0, 10_000).Select(k => jitter.DelayOf(k)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromTicks(TimeSpan.TicksPerSecond - 1)));
        Assert.Equal(delays, Enumerable.Range(0, 10_000).Select(k => TickJitter.SubSecond(5).DelayOf(k)));
        Assert.NotEqual(delays, Enumerable.Range(0, 10_000).Select(k => TickJitter.SubSecond(6).DelayOf(k)));
        Assert.True(delays.Count(d => d.Ticks % TimeSpan.TicksPerMillisecond != 0) > 9_900);
        Assert.InRange(delays.Average(d => d.TotalSeconds), 0.48, 0.52);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TickJitter(1, TimeSpan.Zero));
    }

    [Fact]
    public async Task Simulator_WithJitter_LooksAtTheDelayedTimes_Deterministically()
    {
        var source = new SimulatedTrafficSource(DesignScenario.Model(DesignScenario.Peak, TrafficProfile.Flat), 1);
        AnalysisRun Run() => new(
        [
            new AnalysisMetric
            {
                Name = "seq",
                Check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria()),
                InitialDelay = TimeSpan.FromMinutes(1),
                Interval = TimeSpan.FromMinutes(1),
                Count = 5,
                InconclusiveLimit = 5,
            },
        ], DesignScenario.Peak);

        var a = await Simulator.RunAsync(Run(), TimeSpan.FromMinutes(6), TickJitter.SubSecond(3));
        var b = await Simulator.RunAsync(Run(), TimeSpan.FromMinutes(6), TickJitter.SubSecond(3));

        Assert.Equal(5, a.Timeline.Count);
        Assert.DoesNotContain(a.Timeline, e => e.Phase == MeasurementPhase.Error);
        Assert.All(a.Timeline, e => Assert.NotEqual(0, e.Time.UtcTicks % TimeSpan.TicksPerSecond));
        Assert.Equal(a.Timeline.Select(e => e.Time), b.Timeline.Select(e => e.Time));

        // The generic driver: the k-th tick is due at start + k × interval and fires that tick's delay later.
        var times = new List<DateTimeOffset>();
        var jitter = TickJitter.SubSecond(4);
        _ = await Simulator.RunAsync(DesignScenario.Peak, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), jitter, (now, _) =>
        {
            times.Add(now);
            return Task.FromResult(SimulationStep.Continue());
        });
        Assert.Equal(Enumerable.Range(1, 3).Select(k => DesignScenario.Peak + TimeSpan.FromMinutes(k) + jitter.DelayOf(k)), times);
    }
}
