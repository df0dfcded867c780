using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// Issue 11, item 2: healthy canaries whose errors arrive in bursts (<see cref="SimulatedTrafficModel.ErrorBurstSize"/> 2, 5
/// and 20: one client's retries, one sticky pod; the same mean error rate) on DESIGN.md's scenario, judged by
/// <see cref="SequentialErrorRateCheck"/> looking every minute. The simulated buckets are one minute long here, so a cluster
/// can hold up to a minute of a version's requests. "exact" is the check with the dispersion tempering off
/// (<see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/> false: the evaluator before the fix), on the same seeds.
/// CI runs a small count per cell; reproduce the published table (2 000 per cell) with
/// <c>CANARY_MONTE_CARLO_RUNS=2000 dotnet test tests/Canary.Analysis.Tests -c Release -f net10.0 --filter FullyQualifiedName~BurstDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class BurstDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261207;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(13);

    private static SequentialErrorRateCriteria Criteria(bool tempered)
    {
        var criteria = DesignScenario.SequentialCriteria();
        criteria.EstimateErrorDispersion = tempered;
        return criteria;
    }

    private static Action<SimulatedTrafficModel> Bursts(int size) => model =>
    {
        model.ErrorBurstSize = size;
        model.ScrapeInterval = size > 1 ? TimeSpan.FromMinutes(1) : model.ScrapeInterval;
    };

    private MonteCarloResult Measure(string label, bool tempered, int runs, TimeSpan duration, TrafficProfile profile, Action<SimulatedTrafficModel>? shape, params SimulatedFault[] faults)
    {
        var result = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, duration, profile, jitter: false, Criteria(tempered), shape, faults));
        MonteCarloRuns.PrintRow(output, $"{label} | {(tempered ? "tempered (this branch)" : "exact (before)")}", result);
        return result;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    public void Healthy_ErrorsInBursts_FailFastStep_FalseRollbacksWithinFivePercent(int size)
    {
        var runs = MonteCarloRuns.Or(300);
        output.WriteLine("| healthy, 13-minute fail-fast step | check | runs | false rollbacks | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var before = Measure($"bursts of {size}", tempered: false, runs, Step, TrafficProfile.Flat, Bursts(size));
        var after = Measure($"bursts of {size}", tempered: true, runs, Step, TrafficProfile.Flat, Bursts(size));
        Assert.True(after.FailedRateInterval().Upper <= 0.05 || after.FalseAlarmRate <= 0.05, after.ToString());
        Assert.True(before.FailedRateInterval().Lower > after.FailedRateInterval().Upper, $"before {before}; after {after}");
    }

    /// <summary>
    /// The limit of the estimate: a service of one busy endpoint (100 req/s, 0.5 %) has one window a minute to estimate the
    /// clustering from, so in the first minutes the estimate rests on a few windows (their variance ratio has about as many
    /// degrees of freedom as windows) and reads bursts as independent errors more often than on DESIGN.md's 25 endpoints.
    /// Measured and reported (README), not yet within 5 % for every burst size; the tempering still removes most of the
    /// false rollbacks the exact ratios give.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    public void Healthy_ErrorsInBursts_OneEndpointService_FailFastStep(int size)
    {
        var runs = MonteCarloRuns.Or(300);
        output.WriteLine("| healthy, one endpoint at 100 req/s, 13-minute fail-fast step | check | runs | false rollbacks | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        void OneEndpoint(SimulatedTrafficModel model)
        {
            Bursts(size)(model);
            model.Endpoints = [new SimulatedEndpoint { Name = "/api", RequestsPerSecond = 100, ErrorRate = 0.005 }];
        }

        MonteCarloResult Cell(bool tempered, double minimum = 1, double regression = 0)
        {
            var criteria = new SequentialErrorRateCriteria { EstimateErrorDispersion = tempered, MinimumErrorDispersion = minimum };
            SimulatedFault[] faults = regression > 0 ? [SimulatedFault.Errors(regression)] : [];
            var result = MonteCarlo.Run(runs, Seed, s => DesignScenario.Sequential(s, Step, TrafficProfile.Flat, jitter: false, criteria, OneEndpoint, faults));
            MonteCarloRuns.PrintRow(output, $"bursts of {size}{(regression > 0 ? $", canary at {regression:P1}" : string.Empty)} | {(tempered ? "tempered" : "exact")}, MinimumErrorDispersion {minimum}", result);
            return result;
        }

        var before = Cell(tempered: false);
        var after = Cell(tempered: true);
        if (size == 1)
        {
            Assert.True(after.FailedRateInterval().Lower <= 0.05, after.ToString());
            return;
        }

        // The known burst size as the floor removes the false rollbacks, and costs power: a burst counts as one error.
        var floored = Cell(tempered: true, minimum: size);
        var flooredRegression = Cell(tempered: true, minimum: size, regression: 0.01);
        var regressionDefault = Cell(tempered: true, regression: 0.01);
        Assert.True(floored.FailedRate <= after.FailedRate, $"floored {floored}; default {after}");
        Assert.True(flooredRegression.FailedRate <= regressionDefault.FailedRate, $"floored {flooredRegression}; default {regressionDefault}");

        Assert.True(after.FailedRate < before.FailedRate, $"before {before}; after {after}"); // the same seeds
        if (size >= 5)
        {
            Assert.True(before.FailedRateInterval().Lower > after.FailedRateInterval().Upper, $"before {before}; after {after}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    public void Healthy_ErrorsInBursts_Day_FalseRollbacksWithinFivePercent(int size)
    {
        var runs = MonteCarloRuns.Or(100);
        output.WriteLine("| healthy, 24 h judged every minute, daily profile | check | runs | false rollbacks | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var before = Measure($"bursts of {size}, 24 h", tempered: false, runs, TimeSpan.FromHours(24), TrafficProfile.Daily, Bursts(size));
        var after = Measure($"bursts of {size}, 24 h", tempered: true, runs, TimeSpan.FromHours(24), TrafficProfile.Daily, Bursts(size));
        // A day is costly: CI runs 100 per cell, whose interval must admit the target (the published 2 000 runs meet it).
        Assert.True(after.FailedRateInterval().Lower <= 0.05 && (after.Runs < 2000 || after.FalseAlarmRate <= 0.05), after.ToString());
        Assert.True(before.FailedRateInterval().Lower > after.FailedRateInterval().Upper, $"before {before}; after {after}");
    }

    /// <summary>
    /// What the tempering costs when errors are independent (15-second buckets, as in the other decision-quality tables): the
    /// windows it tempers are the endpoints' first and those far above the usual rate, and the estimate's noise above 1.
    /// </summary>
    [Theory]
    [InlineData("/rare 0.5 % → 25 %", 0.06)]
    // The exact spending tests over the first 13 looks lose more to the tempering than the e-values do (2 000 runs: 89.3 % →
    // 86.3 %, windows tempered as one burst left out of them; the e-values alone lost 2 points).
    [InlineData("global 0.5 % → 1 %", 0.06)]
    [InlineData("global 0.5 % → 2 %", 0.01)]
    [InlineData("/api/e01 0.5 % → 50 %", 0.01)]
    public void Regression_IndependentErrors_PowerBeforeAndAfter(string which, double cost)
    {
        var runs = MonteCarloRuns.Or(300);
        var rate = double.Parse(which.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture) / 100;
        var endpoint = which.StartsWith("global", StringComparison.Ordinal) ? null : which.Split(' ')[0];
        var regression = SimulatedFault.Errors(rate, endpoint);
        output.WriteLine("| 13-minute fail-fast step, independent errors | check | runs | rolled back | 95 % CI | promoted |");
        output.WriteLine("|---|---|---:|---:|---|---:|");
        var before = Measure(which, tempered: false, runs, Step, TrafficProfile.Flat, shape: null, regression);
        var after = Measure(which, tempered: true, runs, Step, TrafficProfile.Flat, shape: null, regression);
        output.WriteLine($"before: {before}");
        output.WriteLine($"after: {after}");

        // The seeds are the same: the cost is measured run by run, not between two noisy estimates.
        Assert.True(after.DetectionRate >= before.DetectionRate - cost, $"before {before}; after {after}");
    }
}
