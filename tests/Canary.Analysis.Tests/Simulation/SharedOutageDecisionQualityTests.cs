using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Issue 11, item 6: a 5-minute outage shared by both versions (a dependency failing half the requests of every endpoint)
/// in the middle of the 13-minute fail-fast step, on DESIGN.md's scenario, judged by <see cref="SequentialErrorRateCheck"/>.
/// Before the fix the outage minutes' exact likelihood ratios (conditional on the totals) strongly favoured equal rates and
/// erased the evidence already built; now such windows are told from the two versions' totals alone and their factor is
/// hedged (w + (1 − w) × LR), so they shrink the evidence at most by w. "main" is the same check with the hedge off
/// (<see cref="SequentialErrorRateCriteria.SharedOutageErrorFactor"/> null: exactly the evaluator before the fix), on the same
/// seeds. CI runs 300 runs per cell; reproduce the published table (2 000 per cell) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release -f net10.0 --filter FullyQualifiedName~SharedOutageDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SharedOutageDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(13);

    /// <summary>Both versions fail half their requests on every endpoint from minute 4 to minute 9 of the step.</summary>
    internal static SimulatedFault Outage() => SimulatedFault.SharedOutage(0.5, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

    private static SequentialErrorRateCriteria Criteria(bool hedged)
    {
        var criteria = DesignScenario.SequentialCriteria();
        criteria.SharedOutageErrorFactor = hedged ? criteria.SharedOutageErrorFactor : null;
        return criteria;
    }

    private MonteCarloResult Measure(string label, bool hedged, int runs, params SimulatedFault[] faults) => Measure(label, hedged, runs, Step, faults);

    private MonteCarloResult Measure(string label, bool hedged, int runs, TimeSpan step, params SimulatedFault[] faults)
    {
        var result = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, step, TrafficProfile.Flat, jitter: false, Criteria(hedged), faults));
        MonteCarloRuns.PrintRow(output, $"{label} | {(hedged ? "hedged (this branch)" : "main")}", result);
        return result;
    }

    private static SimulatedFault[] With(SimulatedFault? regression, bool outage) =>
        [.. regression is null ? [] : new[] { regression }, .. outage ? new[] { Outage() } : []];

    [Theory]
    [InlineData("/rare 0.5 % → 25 %")]
    [InlineData("global 0.5 % → 1 %")]
    public void Regression_WithASharedOutageMidStep_StillCaught(string which)
    {
        var runs = MonteCarloRuns.Or(300);
        SimulatedFault regression = which.StartsWith("/rare", StringComparison.Ordinal) ? SimulatedFault.Errors(0.25, "/rare") : SimulatedFault.Errors(0.01);
        output.WriteLine("| 13-minute fail-fast step | check | runs | rolled back | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var mainPlain = Measure($"{which}, no outage", hedged: false, runs, With(regression, outage: false));
        var plain = Measure($"{which}, no outage", hedged: true, runs, With(regression, outage: false));
        var mainOutage = Measure($"{which}, 5-min shared outage", hedged: false, runs, With(regression, outage: true));
        var outage = Measure($"{which}, 5-min shared outage", hedged: true, runs, With(regression, outage: true));

        // What the outage leaves to see: during it both versions fail alike, so only 8 of the 13 minutes show the regression.
        var informative = Measure($"{which}, an 8-minute step, no outage (the minutes the outage leaves)", hedged: true, runs, TimeSpan.FromMinutes(8), With(regression, outage: false));

        // The outage no longer erases the evidence: detection is far above main's, near what the unmasked minutes allow.
        Assert.True(outage.FailedRateInterval().Lower > mainOutage.FailedRateInterval().Upper, $"hedged {outage}; main {mainOutage}");
        // (The 8 minutes are split 4 + 4 around the outage, and its five hedged windows cost at most 0.99⁵ of the evidence.)
        Assert.True(outage.DetectionRate >= 0.6 * informative.DetectionRate, $"with outage {outage}; 8 minutes without {informative}");

        // The hedge costs (almost) nothing without an outage: the same seeds decide as main does, within a point.
        Assert.True(plain.DetectionRate >= mainPlain.DetectionRate - 0.01, $"hedged {plain}; main {mainPlain}");
    }

    [Fact]
    public void Healthy_WithAndWithoutASharedOutage_FalseRollbacksWithinAlpha()
    {
        var runs = MonteCarloRuns.Or(300);
        output.WriteLine("| 13-minute fail-fast step, healthy | check | runs | false rollbacks | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var mainPlain = Measure("healthy, no outage", hedged: false, runs);
        var plain = Measure("healthy, no outage", hedged: true, runs);
        var mainOutage = Measure("healthy, 5-min shared outage", hedged: false, runs, Outage());
        var outage = Measure("healthy, 5-min shared outage", hedged: true, runs, Outage());
        Assert.True(plain.FalseAlarmRate <= 0.05, plain.ToString());
        Assert.True(outage.FalseAlarmRate <= 0.05, outage.ToString());
        Assert.True(mainPlain.FalseAlarmRate <= 0.05 && mainOutage.FalseAlarmRate <= 0.05, $"{mainPlain}; {mainOutage}");
    }
}
