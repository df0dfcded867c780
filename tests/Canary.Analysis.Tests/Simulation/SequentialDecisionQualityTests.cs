using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// The fail-fast step with <see cref="SequentialErrorRateCheck"/> (canary vs baseline, exact counts, α split by weight) on
/// DESIGN.md's scenario: 25 endpoints at 100 req/s, /rare at 0.3 req/s with 20 % of the weight, 0.5 % errors, 5 % canary,
/// a look every minute. Reproduce the printed numbers with
/// <c>dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~SequentialDecisionQuality --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SequentialDecisionQualityTests(ITestOutputHelper output)
{
    private const int Seed = 20261126;

    private static SimulationOutcome FailFast(int seed, TimeSpan duration, TrafficProfile profile, params SimulatedFault[] faults)
    {
        var start = profile == TrafficProfile.Flat ? DesignScenario.Peak : DesignScenario.Midnight;
        var source = new SimulatedTrafficSource(DesignScenario.Model(start, profile, faults), seed);
        var looks = (int)(duration / TimeSpan.FromMinutes(1));
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 }, Alpha = 0.05 });
        var run = new AnalysisRun(
        [
            new AnalysisMetric
            {
                Name = "sequential-error-rate",
                Check = check,
                InitialDelay = TimeSpan.FromMinutes(1),
                Interval = TimeSpan.FromMinutes(1),
                Count = looks,
                InconclusiveLimit = looks,
                HistoryLimit = 5,
            },
        ], source.Start);
        return Simulator.RunAsync(run, duration).GetAwaiter().GetResult();
    }

    [Fact]
    public void Healthy_13Minutes_FalseRollbacksWithinAlpha()
    {
        var result = MonteCarlo.Run(300, Seed, s => FailFast(s, TimeSpan.FromMinutes(13), TrafficProfile.Flat));
        output.WriteLine($"healthy, 13-minute fail-fast, sequential: {result}");
        Assert.True(result.FalseAlarmRate <= 0.05 + (3 * result.FailedRateStandardError) + 0.01, result.ToString());
    }

    [Fact]
    public void Healthy_24Hours_DailyProfile_FalseRollbacksWithinAlpha()
    {
        var result = MonteCarlo.Run(20, Seed, s => FailFast(s, TimeSpan.FromHours(24), TrafficProfile.Daily));
        output.WriteLine($"healthy, 24 h with the daily profile, sequential: {result}");
        Assert.True(result.FalseAlarmRate <= 0.25, result.ToString());
    }

    [Fact]
    public void RareEndpointAt25Percent_CaughtWithin13Minutes()
    {
        var result = MonteCarlo.Run(300, Seed, s => FailFast(s, TimeSpan.FromMinutes(13), TrafficProfile.Flat, SimulatedFault.Errors(0.25, "/rare")));
        output.WriteLine($"/rare 0.5 % → 25 % (weight 20 %), 13 minutes, sequential: detection {result}");
        // About 12 canary requests reach /rare in 13 minutes at 5 %: detection needs ~3 errors (DESIGN's ≥ 90 % goal is not met).
        Assert.True(result.DetectionRate >= 0.4, result.ToString());
    }

    [Fact]
    public void GlobalAndBusyRegressions_13Minutes()
    {
        var global2 = MonteCarlo.Run(200, Seed, s => FailFast(s, TimeSpan.FromMinutes(13), TrafficProfile.Flat, SimulatedFault.Errors(0.02)));
        var global1 = MonteCarlo.Run(200, Seed, s => FailFast(s, TimeSpan.FromMinutes(13), TrafficProfile.Flat, SimulatedFault.Errors(0.01)));
        var busy = MonteCarlo.Run(200, Seed, s => FailFast(s, TimeSpan.FromMinutes(13), TrafficProfile.Flat, SimulatedFault.Errors(0.02, "/api/e01")));
        output.WriteLine($"global 0.5 % → 2 %: detection {global2}");
        output.WriteLine($"global 0.5 % → 1 %: detection {global1}");
        output.WriteLine($"one busy endpoint 0.5 % → 2 %: detection {busy}");
        Assert.True(global2.DetectionRate >= 0.7, global2.ToString());
        Assert.True(busy.DetectionRate >= 0.03, busy.ToString());
    }

    [Fact]
    public async Task Fail_NamesTheEndpointAndItsCounts()
    {
        var outcome = FailFast(3, TimeSpan.FromMinutes(13), TrafficProfile.Flat, SimulatedFault.Errors(0.5, "/rare"));
        Assert.Equal(SimulationOutcomeKind.Failed, outcome.Kind);
        Assert.StartsWith("sequential-error-rate: 1 failed measurement(s)", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("/rare: canary errors", outcome.Reason, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
