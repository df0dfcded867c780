using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// DESIGN.md's scenario (see <see cref="SequentialDecisionQualityTests"/>) read the way users get it, on a jittered sub-second
/// look timer, over the same canaries (same seeds): (a) per-look <c>increase()</c> over 15 s scrapes, extrapolated and rounded,
/// as the check read before, with counter series born at their first increment (prometheus-net's labelled children) or
/// initialised at 0; (b) exact counter differences between looks, as it reads now. Reproduce the numbers (N runs per
/// cell, 95 % Wilson intervals) with
/// <c>CANARY_COUNTING_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~CountingDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class CountingDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    private static int Runs(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("CANARY_COUNTING_RUNS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var runs) && runs > 0 ? runs : fallback;

    private static SimulationOutcome FailFast(int seed, TrafficCounting counting, bool initialized, params SimulatedFault[] faults)
    {
        var model = DesignScenario.Model(DesignScenario.Peak, TrafficProfile.Flat, faults);
        model.PrometheusIncrease = true;
        model.PrometheusCountersInitialized = initialized;
        var source = new SimulatedTrafficSource(model, seed);
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), DesignScenario.SequentialCriteria())
        {
            Counting = counting,
        };
        var run = DesignScenario.SequentialRun(source, check, looks: 13);
        return DesignScenario.Run(run, TimeSpan.FromMinutes(13), jitter: true, seed);
    }

    private (MonteCarloResult Born, MonteCarloResult Initialised, MonteCarloResult Exact) All(string name, int runs, params SimulatedFault[] faults)
    {
        var born = MonteCarlo.Run(runs, Seed, s => FailFast(s, TrafficCounting.Increase, initialized: false, faults));
        var initialised = MonteCarlo.Run(runs, Seed, s => FailFast(s, TrafficCounting.Increase, initialized: true, faults));
        var exact = MonteCarlo.Run(runs, Seed, s => FailFast(s, TrafficCounting.CounterDifference, initialized: false, faults));
        output.WriteLine($"{name}, 13-minute fail-fast, jittered looks, N = {runs}:");
        output.WriteLine($"  (a) per-look increase(), series born at first increment: failed {Wilson(born)}");
        output.WriteLine($"  (a) per-look increase(), series initialised at 0:        failed {Wilson(initialised)}");
        output.WriteLine($"  (b) exact counter differences:                           failed {Wilson(exact)}");
        return (born, initialised, exact);
    }

    private static string Wilson(MonteCarloResult result)
    {
        const double z = 1.959963984540054;
        var (n, p) = ((double)result.Runs, result.FailedRate);
        var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n))) / (1 + (z * z / n));
        return string.Create(CultureInfo.InvariantCulture, $"{p:P1} (95 % CI {centre - half:P1}–{centre + half:P1}; {result.Counts[SimulationOutcomeKind.Failed]}/{result.Runs})");
    }

    [Fact]
    public void Healthy_FalseRollbacks_ExactWithinAlpha()
    {
        var (_, _, exact) = All("healthy", Runs(300));
        Assert.True(exact.FalseAlarmRate <= 0.05 + (3 * exact.FailedRateStandardError) + 0.01, exact.ToString());
    }

    [Fact]
    public void Global_0_5To1Percent_ExactCatchesMore()
    {
        var (born, initialised, exact) = All("global 0.5 % → 1 %", Runs(300), SimulatedFault.Errors(0.01));
        Assert.True(exact.DetectionRate > Math.Max(born.DetectionRate, initialised.DetectionRate), $"exact {exact}; increase {born}; initialised {initialised}");
    }

    [Fact]
    public void Rare_0_5To25Percent_ExactCatchesMore()
    {
        var (born, initialised, exact) = All("/rare 0.5 % → 25 %", Runs(300), SimulatedFault.Errors(0.25, "/rare"));
        Assert.True(exact.DetectionRate > Math.Max(born.DetectionRate, initialised.DetectionRate), $"exact {exact}; increase {born}; initialised {initialised}");
    }
}
