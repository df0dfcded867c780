using System.Diagnostics;
using Canary.Analysis.Analysis;
using Canary.Analysis.Simulation;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Monte Carlo measurements of what today's weighted SuccessRateCheck achieves on DESIGN.md's scenario. The bounds
/// are what the evaluator achieves now (conservative), not the DESIGN goals; the numbers are printed. Reproduce with
/// <c>dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~DecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class DecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20260302;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FailFast_Healthy_NeverRollsBack_AndNeverPasses_BecauseRareIsInconclusive(bool jitter)
    {
        var result = MonteCarlo.Run(400, Seed, s => DesignScenario.FailFast(s, jitter));
        output.WriteLine($"(a) healthy, 13-minute fail-fast: {result}");
        Assert.True(result.FalseAlarmRate <= 0.02, result.ToString());
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
        Assert.True(result.Rate(SimulationOutcomeKind.Inconclusive) >= 0.98, result.ToString());
    }

    [Fact]
    public void FailFast_InconclusiveNamesTheRareEndpoint_WithItsCount()
    {
        var outcome = DesignScenario.FailFast(1);
        Assert.Equal(SimulationOutcomeKind.Inconclusive, outcome.Kind);
        Assert.Contains("/rare (n=", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("needs 50", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(13, outcome.Timeline.Count);
        Assert.All(outcome.Timeline, e => Assert.Equal(MeasurementPhase.Inconclusive, e.Phase));
        Assert.Equal(TimeSpan.FromMinutes(13), outcome.TimeToDecision);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FailFast_RareEndpointAt25PercentErrors_IsInconclusiveNeverPass(bool jitter)
    {
        var fault = SimulatedFault.Errors(0.25, "/rare");
        var result = MonteCarlo.Run(300, Seed, s => DesignScenario.FailFast(s, jitter, faults: fault));
        output.WriteLine($"(b) /rare 0.5 % → 25 %, weight 20 %, min 50 requests, 13 minutes: detection {result}");
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
        Assert.True(result.Rate(SimulationOutcomeKind.Inconclusive) >= 0.95, result.ToString());

        // Lowering the per-endpoint minimum to what 13 minutes can give (~12 requests) buys some detection at a cost.
        var low = MonteCarlo.Run(300, Seed, s => DesignScenario.FailFast(s, jitter, 5, fault));
        var lowHealthy = MonteCarlo.Run(300, Seed, s => DesignScenario.FailFast(s, jitter, 5));
        output.WriteLine($"(b') same with MinimumRequestsPerEndpoint = 5: detection {low}");
        output.WriteLine($"(b') healthy with MinimumRequestsPerEndpoint = 5: false alarms {lowHealthy}");
        Assert.InRange(low.DetectionRate, 0.3, 1);

        // The price (DESIGN's point about sparse counts): one error among a handful of /rare requests fails a healthy canary.
        Assert.InRange(lowHealthy.FalseAlarmRate, 0.02, 0.3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FailFast_GlobalRegressionTo2Percent_IsDetected(bool jitter)
    {
        var result = MonteCarlo.Run(300, Seed, s => DesignScenario.FailFast(s, jitter, faults: SimulatedFault.Errors(0.02)));
        output.WriteLine($"(c) global 0.5 % → 2 %, 13 minutes: detection {result}");
        Assert.True(result.DetectionRate >= 0.8, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FailFast_BusyEndpointRegressionTo2Percent_IsNotSeenByTheWeightedRate(bool jitter)
    {
        var result = MonteCarlo.Run(300, Seed, s => DesignScenario.FailFast(s, jitter, faults: SimulatedFault.Errors(0.02, "/api/e01")));
        output.WriteLine($"(c) one busy endpoint 0.5 % → 2 % (weight 3.3 %), 13 minutes: detection {result}");

        // A 3.3 %-weight endpoint moves the weighted rate by 0.05 points: the absolute threshold cannot see it (a gap).
        Assert.True(result.DetectionRate <= 0.05, result.ToString());
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Day_Healthy_FalseRollbacksOver24Hours(bool jitter)
    {
        var watch = Stopwatch.StartNew();
        var result = MonteCarlo.Run(10, Seed, s => DesignScenario.Day(s, jitter));
        output.WriteLine($"(a) healthy, 24 h daily profile, a look every minute (cumulative window): {result} in {watch.ElapsedMilliseconds} ms");
        Assert.True(result.FalseAlarmRate <= 0.1, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Day_RareEndpointAt25PercentErrors_IsCaughtOnceRareHasEnoughRequests(bool jitter)
    {
        var result = MonteCarlo.Run(12, Seed, s => DesignScenario.Day(s, jitter, SimulatedFault.Errors(0.25, "/rare")));
        output.WriteLine($"(b) /rare at 25 % over 24 h (daily profile from midnight): {result}");
        Assert.True(result.DetectionRate >= 0.9, result.ToString());
    }

    [Fact]
    public async Task SameSeed_IdenticalTimeline_DifferentSeed_Different()
    {
        var fault = SimulatedFault.Errors(0.25, "/rare");
        var a = DesignScenario.FailFast(42, 5, fault);
        var b = DesignScenario.FailFast(42, 5, fault);
        Assert.Equal(a.Kind, b.Kind);
        Assert.Equal(a.EndedAt, b.EndedAt);
        Assert.Equal(a.Timeline.Select(e => e.ToString()), b.Timeline.Select(e => e.ToString()));
        var c = DesignScenario.FailFast(43, 5, fault);
        Assert.NotEqual(a.Timeline.Select(e => e.ToString()), c.Timeline.Select(e => e.ToString()));

        var m1 = MonteCarlo.Run(20, 9, s => DesignScenario.FailFast(s, 5, fault));
        var m2 = await MonteCarlo.RunAsync(20, 9, (s, _) => Task.FromResult(DesignScenario.FailFast(s, 5, fault)));
        Assert.Equal(m1.ToString(), m2.ToString());
    }

    [Fact]
    public void Speed_24HoursOfMinuteLooksOver25Endpoints()
    {
        _ = DesignScenario.Day(1);
        var watch = Stopwatch.StartNew();
        var outcome = DesignScenario.Day(2);
        watch.Stop();
        output.WriteLine($"24 h, 1440 looks, 25 endpoints: {watch.ElapsedMilliseconds} ms; {outcome}");
        Assert.Equal(1440, outcome.Timeline.Count);

        var source = new SimulatedTrafficSource(DesignScenario.Model(DesignScenario.Midnight, TrafficProfile.Daily), 3);
        watch.Restart();
        for (var minute = 1; minute <= 1440; minute++)
        {
            _ = source.Read(new Canary.Analysis.Traffic.TrafficQuery(SimulatedTrafficSource.CanarySelector, DesignScenario.Midnight.AddMinutes(minute), TimeSpan.FromMinutes(13)) { IncludeLatency = true });
        }

        output.WriteLine($"source alone, 1440 reads with latency: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task FakeTimeProvider_DrivesTheSameRun_WithAnyDriver()
    {
        var fault = SimulatedFault.Errors(0.02);
        var viaSimulator = DesignScenario.FailFast(5, faults: fault);

        var source = new SimulatedTrafficSource(DesignScenario.Model(DesignScenario.Peak, TrafficProfile.Flat, fault), 5);
        var run = DesignScenario.FailFastRun(source);
        var clock = new FakeTimeProvider(DesignScenario.Peak);
        var task = run.RunAsync(clock);
        for (var i = 0; i < 14 && !task.IsCompleted; i++)
        {
            // Advance only once the run has taken the i measurements due so far and waits on the fake clock again;
            // advancing earlier would let a slow thread measure at a later minute than the simulator driver does.
            for (var wait = 0; wait < 500 && !task.IsCompleted && Measured(run) < i; wait++)
            {
                await Task.Delay(10);
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(Simulator.KindOf(await task), viaSimulator.Kind);
        Assert.Equal(run.Message, viaSimulator.Reason);
    }

    private static int Measured(AnalysisRun run) => run.Metrics.Sum(m => m.Count + m.Errors);

    [Fact]
    public async Task GenericDriver_StopsAtTheFirstDecision_AndKeepsEvents()
    {
        var outcome = await Simulator.RunAsync(DesignScenario.Peak, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30), (now, _) =>
        {
            var e = new SimulationEvent(now, "policy", MeasurementPhase.Successful, 1, "ok");
            return Task.FromResult(now >= DesignScenario.Peak.AddMinutes(5)
                ? SimulationStep.Decide(SimulationOutcomeKind.Failed, "rollback", e)
                : SimulationStep.Continue(e));
        });
        Assert.Equal((SimulationOutcomeKind.Failed, TimeSpan.FromMinutes(5), 5), (outcome.Kind, outcome.TimeToDecision!.Value, outcome.Timeline.Count));

        var never = await Simulator.RunAsync(DesignScenario.Peak, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), (_, _) => Task.FromResult(SimulationStep.Continue()));
        Assert.Equal(SimulationOutcomeKind.Undecided, never.Kind);
        Assert.Null(never.TimeToDecision);
    }

    [Fact]
    public void MonteCarloResult_RatesErrorsAndPercentiles()
    {
        var result = new MonteCarloResult(
        [
            (SimulationOutcomeKind.Failed, TimeSpan.FromMinutes(1)),
            (SimulationOutcomeKind.Failed, TimeSpan.FromMinutes(3)),
            (SimulationOutcomeKind.Succeeded, TimeSpan.FromMinutes(13)),
            (SimulationOutcomeKind.Undecided, null),
        ]);
        Assert.Equal(0.5, result.DetectionRate);
        Assert.Equal(0.25, result.StandardError(SimulationOutcomeKind.Failed));
        Assert.Equal(TimeSpan.FromMinutes(2), result.MedianTimeToFailure);
        Assert.Equal(TimeSpan.FromMinutes(2.8), result.TimeToFailurePercentile(0.9));
        Assert.Equal([0, 0.25, 0.25, 0.5, 0.5], new[] { 0.5, 1, 2.9, 3, 13 }.Select(m => result.FailedWithin(TimeSpan.FromMinutes(m))));
        Assert.Throws<ArgumentException>(() => new MonteCarloResult([]));
    }
}
