using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>
/// Every check, <see cref="AnalysisRun"/> and <see cref="CanaryRollout"/> on clocks with ticks: a healthy canary must be
/// promoted, never rolled back or errored, whatever the sub-millisecond offsets of the looks.
/// </summary>
public sealed class RealClockTests
{
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    /// <summary>A start with ticks: 12:00:00.1234567 plus one tick.</summary>
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_568);

    private static ProportionalTrafficSource HealthySource() => new(Canary, 5, 95, 0.004, "/a", "/b");

    private static FakeMetricProvider Scalar(double value) => new(q => new MetricQueryResult(q, MetricResultType.Vector,
        [new MetricSeries(new Dictionary<string, string>(), [new MetricSample(Start, value)])]));

    /// <summary>
    /// About clocks, not margins: every look must pass, and a look's few hundred canary requests prove a 10-point margin (the
    /// default 1 point needs thousands).
    /// </summary>
    /// <summary>A 10-point margin, errors taken as independent (exact proportions here): every look of a few may pass.</summary>
    private static SequentialErrorRateCriteria LooseMargin() => new() { NonInferiorityMargin = 0.1, EstimateErrorDispersion = false };

    /// <summary>One metric per kind of check, a look every minute, five looks.</summary>
    private static List<AnalysisMetric> EveryCheck(ProportionalTrafficSource source, TimeSpan interval, int count) =>
    [
        Metric("sequential", new SequentialErrorRateCheck(source, Canary, Baseline, interval, LooseMargin()), interval, count),
        Metric("success-rate", new SuccessRateCheck(source, Canary, interval, new SuccessRateCriteria()), interval, count),
        Metric("latency", new LatencyCheck(source, Canary, interval, new LatencyCriteria { MaximumIncrease = 0.5 }, Baseline), interval, count),
        Metric("query", new QueryCheck("query", Scalar(0.999), "sum(rate(ok[1m])) / sum(rate(all[1m]))", Threshold.AtLeast(0.99)), interval, count),
    ];

    private static AnalysisMetric Metric(string name, IAnalysisCheck check, TimeSpan interval, int count) =>
        new() { Name = name, Check = check, Interval = interval, InitialDelay = interval, Count = count };

    [Fact]
    public async Task AnalysisRun_EveryCheck_LooksAtRandomTickOffsets_Successful()
    {
        var source = HealthySource();
        var run = new AnalysisRun(EveryCheck(source, TimeSpan.FromMinutes(1), 5), Start);
        var clock = new FakeTimeProvider(Start);
        var random = new Random(7);
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            // A host timer: about every minute, early or late by up to a second, at any tick.
            clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond)));
            await run.TickAsync(clock.GetUtcNow());
        }

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.All(run.Metrics, m => Assert.Equal((5, 5, 0), (m.Count, m.Successful, m.Errors)));
        Assert.Contains(source.Queries, q => q.Window.Ticks % TimeSpan.TicksPerMillisecond != 0);
        Assert.Contains(source.Queries, q => q.End.UtcTicks % TimeSpan.TicksPerMillisecond != 0);
    }

    [Fact]
    public async Task AnalysisRun_RunAsyncOnAFakeClockWithTicks_Successful()
    {
        var source = HealthySource();
        var run = new AnalysisRun(EveryCheck(source, TimeSpan.FromMinutes(1), 3), Start);
        var clock = new FakeTimeProvider(Start);
        var task = run.RunAsync(clock);
        for (var i = 0; i < 10 && !task.IsCompleted; i++)
        {
            var measured = run.Metrics.Sum(m => m.Count + m.Errors);
            clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(3_333));
            for (var wait = 0; wait < 500 && !task.IsCompleted && run.Metrics.Sum(m => m.Count + m.Errors) == measured; wait++)
            {
                await Task.Delay(10);
            }
        }

        Assert.Equal(AnalysisPhase.Successful, await task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(run.Metrics, m => Assert.Equal(0, m.Errors));
    }

    [Fact]
    public async Task AnalysisRun_TickSlightlyEarlierThanDue_StillMeasures_ButNotATenthOfTheIntervalEarly()
    {
        var check = new ScriptedCheck("PPP");
        var run = new AnalysisRun([new AnalysisMetric { Name = "m", Check = check, Interval = TimeSpan.FromMinutes(1), Count = 3 }], Start);
        await run.TickAsync(Start.AddTicks(7));
        Assert.Equal(Start.AddTicks(7) + TimeSpan.FromMinutes(1), run.NextMeasurementAt);

        // A host timer a moment earlier than the last time: measured, not skipped until the next tick.
        await run.TickAsync(Start + TimeSpan.FromSeconds(59.5));
        Assert.Equal(2, check.Calls.Count);

        // More than a tenth of the interval early (6 s): not due.
        await run.TickAsync(Start + TimeSpan.FromSeconds(59.5 + 53.9));
        Assert.Equal(2, check.Calls.Count);
        await run.TickAsync(Start + TimeSpan.FromSeconds(59.5 + 54.1));
        Assert.Equal(3, check.Calls.Count);
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
    }

    [Fact]
    public async Task AnalysisRun_LongIntervals_EarlinessIsCappedAtTenSeconds()
    {
        var check = new ScriptedCheck("PP");
        var run = new AnalysisRun([new AnalysisMetric { Name = "m", Check = check, Interval = TimeSpan.FromHours(1), Count = 2 }], Start);
        await run.TickAsync(Start);

        await run.TickAsync(Start + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10.5));
        Assert.Single(check.Calls);
        await run.TickAsync(Start + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(9.5));
        Assert.Equal(2, check.Calls.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), AnalysisRun.MaximumEarliness);
    }

    [Fact]
    public async Task CanaryRollout_FailFastThenSoak_TicksAtRandomTickOffsets_Promoted_NoErrorOnTheWay()
    {
        var source = HealthySource();
        var sequential = new SequentialErrorRateCheck(source, Canary, Baseline, TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria());
        var policy = CanaryPolicies.FailFastThenSoak(window => new Dictionary<string, IAnalysisCheck>
        {
            ["error-rate"] = sequential,
            ["success-rate"] = new SuccessRateCheck(source, Canary, window, new SuccessRateCriteria()),
            ["latency"] = new LatencyCheck(source, Canary, window, new LatencyCriteria { MaximumIncrease = 0.5 }, Baseline),
        });
        var rollout = new CanaryRollout(policy, Start);
        var clock = new FakeTimeProvider(Start);
        var random = new Random(11);
        RolloutDecision? decision = null;
        var errors = 0;
        for (var i = 0; i < 200; i++)
        {
            decision = await rollout.TickAsync(clock.GetUtcNow());
            errors += decision.Analyses.Sum(a => a.Errors);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                break;
            }

            if (decision.Action != RolloutAction.Advance)
            {
                clock.Advance(TimeSpan.FromSeconds(30) + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerSecond * 30)));
            }
        }

        Assert.Equal(RolloutAction.Promote, decision!.Action);
        Assert.Equal(0, errors);
        Assert.Contains(source.Queries, q => q.Window.Ticks % TimeSpan.TicksPerMillisecond != 0);
    }

    [Fact]
    public async Task AnalysisRun_OnTheSystemClock_AFewOneSecondLooks_Successful()
    {
        // The real thing: TimeProvider.System, a look every second, three looks (a few seconds of wall time).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var sequentialSource = new ProportionalTrafficSource(Canary, 200, 2000, 0.004, "/a", "/b");
        var successSource = new ProportionalTrafficSource(Canary, 200, 2000, 0.004, "/a", "/b");
        var interval = TimeSpan.FromSeconds(1);
        var run = new AnalysisRun(
        [
            Metric("sequential", new SequentialErrorRateCheck(sequentialSource, Canary, Baseline, interval, LooseMargin()), interval, 3),
            Metric("success-rate", new SuccessRateCheck(successSource, Canary, interval, new SuccessRateCriteria()), interval, 3),
        ], TimeProvider.System.GetUtcNow());

        var phase = await run.RunAsync(TimeProvider.System, timeout.Token);

        Assert.Equal(AnalysisPhase.Successful, phase);
        Assert.All(run.Metrics, m => Assert.Equal((3, 3, 0), (m.Count, m.Successful, m.Errors)));

        // The sequential check read the real clock's exact times back to back: each window starts where the previous ended.
        var reads = sequentialSource.Queries.Where(q => q.Selector.Equals(Canary)).ToList();
        Assert.Equal(3, reads.Count);
        for (var i = 1; i < reads.Count; i++)
        {
            Assert.Equal(reads[i - 1].End, reads[i].Start);
        }
    }
}
