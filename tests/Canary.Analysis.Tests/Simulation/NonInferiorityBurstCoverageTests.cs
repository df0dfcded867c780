using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Canary.Analysis.Statistics;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Issue 11, items 2 and 4 together: the non-inferiority bound a Pass rests on (<see cref="CheckResult.SuccessRateDropBound"/>)
/// must hold when errors arrive in bursts. The canary errs at 0.75 % where the baseline errs at 0.5 % on every endpoint: the
/// true weighted drop is 0.25 point, and a bound ever below it is a miss (a margin of 0.25 point would have been "proven" for a
/// canary exactly that much worse). Two services at a 5 % canary, one look a minute: DESIGN.md's (25 endpoints, 3 hours), where
/// the weighted bound sums 25 conservative strata, and one endpoint at 100 req/s for 6 hours, where the bound is as tight as
/// it gets. Counted per run, with the bound the check reports (counts read with the estimated dispersion) and, on the same
/// counts, the bound read as if errors were independent. CI runs a few runs per cell; reproduce the published table (2 000
/// per cell) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release -f net10.0 --filter FullyQualifiedName~NonInferiorityBurstCoverage --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class NonInferiorityBurstCoverageTests(ITestOutputHelper output)
{
    private const int Seed = 20261209;
    private const double BaselineRate = 0.005;
    private const double CanaryRate = 0.0075;
    private const double TrueDrop = CanaryRate - BaselineRate;

    /// <summary>Whether, in one run, the check's bound and the bound on raw counts ever fell below the true drop.</summary>
    private static async Task<(bool Tempered, bool Raw)> MissesAsync(int seed, int burst, bool oneEndpoint)
    {
        var model = DesignScenario.Model(DesignScenario.Peak, TrafficProfile.Flat, SimulatedFault.Errors(CanaryRate));
        if (oneEndpoint)
        {
            model.Endpoints = [new SimulatedEndpoint { Name = "/api", RequestsPerSecond = 100, ErrorRate = BaselineRate }];
        }

        model.ErrorBurstSize = burst;
        if (burst > 1)
        {
            model.ScrapeInterval = TimeSpan.FromMinutes(1);
        }

        var criteria = oneEndpoint ? new SequentialErrorRateCriteria() : DesignScenario.SequentialCriteria();
        var looks = oneEndpoint ? 360 : 180;
        var check = new SequentialErrorRateCheck(new SimulatedTrafficSource(model, seed), SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), criteria);
        var (tempered, raw) = (false, false);
        for (var look = 1; look <= looks; look++)
        {
            var result = await check.MeasureAsync(DesignScenario.Peak + TimeSpan.FromMinutes(look));
            var endpoints = check.Evidence.Endpoints;
            if (double.IsNaN(result.SuccessRateDropBound) || endpoints.Count == 0)
            {
                continue;
            }

            tempered |= result.SuccessRateDropBound < TrueDrop;
            var counts = endpoints.Select(e => new IntervalCounts(e.CanaryErrors, e.CanaryRequests, e.BaselineErrors, e.BaselineRequests)).ToArray();
            var strata = new double[counts.Length];
            raw |= NonInferiorityBound.Weighted(counts, [.. endpoints.Select(e => e.Weight)], criteria.Alpha, strata) < TrueDrop;
        }

        return (tempered, raw);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(5, false)]
    [InlineData(20, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(20, true)]
    public async Task TheBoundHolds_WhenErrorsArriveInBursts(int burst, bool oneEndpoint)
    {
        var runs = MonteCarloRuns.Or(20);
        var (tempered, raw) = (0, 0);
        for (var i = 0; i < runs; i++)
        {
            var (t, r) = await MissesAsync(MonteCarlo.RunSeed(Seed, i), burst, oneEndpoint);
            tempered += t ? 1 : 0;
            raw += r ? 1 : 0;
        }

        var temperedInterval = BinomialTest.Test(tempered, runs, 0.5).ConfidenceInterval;
        var rawInterval = BinomialTest.Test(raw, runs, 0.5).ConfidenceInterval;
        output.WriteLine("| service | errors | runs | bound ever below the true drop: as reported (dispersion) | read as independent |");
        output.WriteLine("|---|---|---:|---|---|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {(oneEndpoint ? "one endpoint, 100 req/s, 6 h" : "DESIGN.md's 25 endpoints, 3 h")} | {(burst == 1 ? "independent" : $"bursts of {burst}")} | {runs} | {tempered / (double)runs:P1} [{temperedInterval.Lower:P1}, {temperedInterval.Upper:P1}] | {raw / (double)runs:P1} [{rawInterval.Lower:P1}, {rawInterval.Upper:P1}] |"));

        // The reported bound misses at most α = 5 % of the time (its interval reaches below); read as independent, bursts make it
        // miss more, never less, on the same counts (the dispersion only ever widens the bound).
        Assert.True(temperedInterval.Lower <= 0.05, $"missed in {tempered}/{runs}");
        Assert.True(tempered <= raw, $"reported {tempered}, raw {raw}");
    }
}
