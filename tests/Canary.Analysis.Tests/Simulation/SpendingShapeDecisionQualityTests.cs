using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// What the shape of the exact tests' α spending trades, on DESIGN's scenario and a jittered timer: the former linear spending of
/// 80 % of α against the default (cubic, 85 %), per regression, with the median time to the rollback. Reproduce the README's
/// figures with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~SpendingShapeDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SpendingShapeDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;

    public static TheoryData<string, double, double> Shapes => new()
    {
        { "linear, 80 % of α (before)", 1, 0.8 },
        { "cubic, 85 % of α (default)", 3, 0.85 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FailFastStep_BySpendingShape(string shape, double exponent, double share)
    {
        var runs = MonteCarloRuns.Or(40);
        SimulationOutcome Step(int seed, params SimulatedFault[] faults)
        {
            var criteria = DesignScenario.SequentialCriteria();
            (criteria.SpendingExponent, criteria.SpendingShare) = (exponent, share);
            return DesignScenario.Sequential(seed, TimeSpan.FromMinutes(13), TrafficProfile.Flat, jitter: true, criteria, faults);
        }

        output.WriteLine("| 13-minute fail-fast step | spending | runs | rolled back | 95 % interval | median time to rollback |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var healthy = Row("healthy canary (false rollbacks)", MonteCarlo.Run(runs, Seed, s => Step(s)));
        var global2 = Row("global 0.5 % → 2 %", MonteCarlo.Run(runs, Seed, s => Step(s, SimulatedFault.Errors(0.02))));
        var global1 = Row("global 0.5 % → 1 %", MonteCarlo.Run(runs, Seed, s => Step(s, SimulatedFault.Errors(0.01))));
        Row("`/rare` 0.5 % → 25 %", MonteCarlo.Run(runs, Seed, s => Step(s, SimulatedFault.Errors(0.25, "/rare"))));
        Row("one of 24 busy endpoints 0.5 % → 2 %", MonteCarlo.Run(runs, Seed, s => Step(s, SimulatedFault.Errors(0.02, "/api/e01"))));

        // What even a few runs show: α holds and a large regression is caught by either shape.
        Assert.True(healthy.FailedRateInterval().Lower <= 0.05, healthy.ToString());
        Assert.True(global2.FailedRateInterval().Upper >= 0.95, global2.ToString());
        Assert.True(global1.FailedRateInterval().Upper >= 0.72, global1.ToString());

        MonteCarloResult Row(string regression, MonteCarloResult result)
        {
            var interval = result.FailedRateInterval();
            var median = result.MedianTimeToFailure is { } time ? time.ToString(@"m\:ss", CultureInfo.InvariantCulture) : "—";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {regression} | {shape} | {result.Runs} | {result.FailedRate:P1} | [{interval.Lower:P1}, {interval.Upper:P1}] | {median} |"));
            return result;
        }
    }

    [Fact]
    public void Defaults_AreTheCubicShapeAndEightyFivePercent()
    {
        var criteria = new SequentialErrorRateCriteria();
        Assert.Equal((3.0, 0.85), (criteria.SpendingExponent, criteria.SpendingShare));
        Assert.Contains(Shapes, row => (double)row[1] == criteria.SpendingExponent && (double)row[2] == criteria.SpendingShare);
    }
}
