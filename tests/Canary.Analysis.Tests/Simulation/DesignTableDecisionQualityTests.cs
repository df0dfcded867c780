using System.Globalization;
using Canary.Analysis.Simulation;
using Canary.Analysis.Statistics;
using Canary.Analysis.Tests.Policies;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// The README's first decision-quality table ("Decision quality") and the preset figures under it, each cell with its run count
/// and 95 % Clopper–Pearson interval, on a jittered controller timer (every look up to a second late), as users run it.
/// CI runs a few runs per cell and asserts only what even a few runs show; reproduce the published figures (2 000 runs per
/// cell) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~DesignTableDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class DesignTableDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(13);

    private static SimulationOutcome FailFastStep(int seed, params SimulatedFault[] faults) =>
        DesignScenario.Sequential(seed, Step, TrafficProfile.Flat, jitter: true, DesignScenario.SequentialCriteria(), faults);

    [Fact]
    public void FailFastStep_OnDesignScenario()
    {
        var runs = MonteCarloRuns.Or(100);
        const double PerMinuteAt5Percent = 60 * 0.05;
        var rareBound = InformationBound.BestDetection(0.3 * PerMinuteAt5Percent * 13, 0.005, 0.25, 0.05);
        var busyBound = InformationBound.BestDetection(99.7 / 24 * PerMinuteAt5Percent * 13, 0.005, 0.02, 0.05);
        output.WriteLine("| Regression, 13-minute fail-fast step | runs | caught | 95 % interval | best possible |");
        output.WriteLine("|---|---|---|---|---|");
        var healthy = Row("healthy canary (false rollbacks)", MonteCarlo.Run(runs, Seed, s => FailFastStep(s)), null);
        var global2 = Row("global 0.5 % → 2 %", MonteCarlo.Run(runs, Seed, s => FailFastStep(s, SimulatedFault.Errors(0.02))), null);
        var global1 = Row("global 0.5 % → 1 %", MonteCarlo.Run(runs, Seed, s => FailFastStep(s, SimulatedFault.Errors(0.01))), null);
        var rare = Row("`/rare` 0.5 % → 25 % (~12 canary requests there)", MonteCarlo.Run(runs, Seed, s => FailFastStep(s, SimulatedFault.Errors(0.25, "/rare"))), rareBound);
        var busy = Row("one of 24 busy endpoints 0.5 % → 2 % (~160 requests)", MonteCarlo.Run(runs, Seed, s => FailFastStep(s, SimulatedFault.Errors(0.02, "/api/e01"))), busyBound);

        // What even 100 runs show: α holds, a large regression is caught, and nothing beats the information bound.
        Assert.True(healthy.FailedRateInterval().Lower <= 0.05, healthy.ToString());
        Assert.True(global2.FailedRateInterval().Upper >= 0.95, global2.ToString());
        Assert.True(global1.FailedRateInterval().Upper >= 0.72, global1.ToString());
        Assert.True(rare.FailedRateInterval().Lower <= rareBound, rare.ToString());
        Assert.True(busy.FailedRateInterval().Lower <= busyBound, busy.ToString());
    }

    /// <summary>A slow-to-see regression, /rare 0.5 % → 5 %: how much of what the best test reaches in T minutes the check reaches by 1.2 T.</summary>
    [Fact]
    public void SlowRegressionOnTheRareEndpoint_AgainstTheBestTest()
    {
        var runs = MonteCarloRuns.Or(40);
        var allowed = InformationBound.MinutesAllowed(0.3 * 60 * 0.05, 0.005, 0.05, 0.05, 0.95);
        var slow = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, TimeSpan.FromMinutes(allowed * 1.2), TrafficProfile.Flat, jitter: true, DesignScenario.SequentialCriteria(), SimulatedFault.Errors(0.05, "/rare")));
        Row(string.Create(CultureInfo.InvariantCulture, $"`/rare` 0.5 % → 5 %, caught within {allowed * 1.2:0} min (the best test reaches 95 % at {allowed} min)"), slow, 0.95);
        Assert.True(slow.FailedRateInterval().Upper >= 0.5, slow.ToString());
    }

    [Fact]
    public void HealthyDay_SequentialCheckLookingEveryMinute()
    {
        var runs = MonteCarloRuns.Or(10);
        var day = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, TimeSpan.FromHours(24), TrafficProfile.Daily, jitter: true, DesignScenario.SequentialCriteria()));
        Row("healthy canary, 24 h from midnight with the daily profile, 1 440 looks (false rollbacks)", day, null);
        Assert.True(day.FailedRateInterval().Lower <= 0.05, day.ToString());
    }

    [Fact]
    public void Presets_OnTheFourEndpointService()
    {
        var runs = MonteCarloRuns.Or(20);
        var longRuns = MonteCarloRuns.Or(6);
        var stepEnd = PresetPolicySimulationTests.FailFast + TimeSpan.FromSeconds(1);
        var healthy = Row("`FailFastThenSoak` (73 min), healthy: false rollbacks", MonteCarlo.Run(runs, Seed, s => PresetPolicySimulationTests.Simulate(s, TimeSpan.FromHours(2), jitter: true)), null);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  promoted: {healthy.Rate(SimulationOutcomeKind.Succeeded):P1}"));
        var pay5 = MonteCarlo.Run(runs, Seed, s => PresetPolicySimulationTests.Simulate(s, stepEnd + TimeSpan.FromMinutes(1), 5, jitter: true, SimulatedFault.Errors(0.05, "/pay")));
        Within("`/pay` (5 % of traffic, 40 % of weight) 0.5 % → 5 %: rolled back within the fail-fast step", pay5, stepEnd);
        var pay2 = MonteCarlo.Run(runs, Seed, s => PresetPolicySimulationTests.Simulate(s, stepEnd + TimeSpan.FromMinutes(1), jitter: true, SimulatedFault.Errors(0.05, "/pay")));
        Within("`/pay` (2 % of traffic) 0.5 % → 5 %: rolled back within the fail-fast step", pay2, stepEnd);
        var soak = Row("`LongSoak` (13 min + 24 h, daily profile), healthy: false rollbacks", MonteCarlo.Run(longRuns, Seed, s => PresetPolicySimulationTests.SimulateLongSoak(s, jitter: true)), null);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  promoted: {soak.Rate(SimulationOutcomeKind.Succeeded):P1}"));
        var soakPay = Row("`LongSoak`, `/pay` (2 % of traffic) 0.5 % → 5 %: caught", MonteCarlo.Run(longRuns, Seed, s => PresetPolicySimulationTests.SimulateLongSoak(s, jitter: true, SimulatedFault.Errors(0.05, "/pay"))), null);
        output.WriteLine($"  median time to rollback: {soakPay.MedianTimeToFailure}");

        Assert.True(healthy.FailedRateInterval().Lower <= 0.05, healthy.ToString());
        Assert.True(soak.FailedRateInterval().Lower <= 0.05, soak.ToString());
        Assert.Equal(0, pay5.Counts[SimulationOutcomeKind.Succeeded] + pay2.Counts[SimulationOutcomeKind.Succeeded] + soakPay.Counts[SimulationOutcomeKind.Succeeded]);
    }

    private MonteCarloResult Row(string label, MonteCarloResult result, double? best)
    {
        var interval = result.FailedRateInterval();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {result.Runs} | {result.FailedRate:P1} | [{interval.Lower:P1}, {interval.Upper:P1}] | {(best is { } b ? b.ToString("P1", CultureInfo.InvariantCulture) : "—")} |"));
        return result;
    }

    /// <summary>A row for the share rolled back by <paramref name="time"/>, with its exact interval.</summary>
    private void Within(string label, MonteCarloResult result, TimeSpan time)
    {
        var caught = (int)Math.Round(result.FailedWithin(time) * result.Runs);
        var interval = BinomialTest.Test(caught, result.Runs, 0.5).ConfidenceInterval;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {result.Runs} | {caught / (double)result.Runs:P1} | [{interval.Lower:P1}, {interval.Upper:P1}] | never promoted: {result.Counts[SimulationOutcomeKind.Succeeded] == 0} |"));
    }
}
