using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;
using Canary.Analysis.Tests.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// The preset policy (<see cref="CanaryPolicies.FailFastThenSoak"/>: 5 % for 13 minutes, then 10 % for 30 minutes twice) run
/// through <see cref="CanaryRollout"/> on simulated traffic across many seeds, judged by <see cref="SequentialErrorRateCheck"/>.
/// The service: 100 req/s over four endpoints, /pay rare (2 req/s) but carrying 40 % of the weight, 0.5 % background errors.
/// Reproduce the printed numbers with
/// <c>dotnet test tests/Canary.Analysis.Tests -c Release --filter FullyQualifiedName~PresetPolicySimulation --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class PresetPolicySimulationTests(ITestOutputHelper output)
{
    private const int Seed = 20261127;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    internal static readonly TimeSpan FailFast = CanaryPolicies.FailFastDuration(TimeSpan.FromSeconds(15));

    private static SimulatedTrafficSource Source(int seed, DateTimeOffset start, TrafficProfile profile, SimulatedFault[] faults, double payPerSecond = 2) => new(
            new SimulatedTrafficModel
            {
                Start = start,
                Profile = profile,
                CanaryWeight = 0.05,
                Endpoints =
                [
                    new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = payPerSecond, ErrorRate = 0.005 },
                    new SimulatedEndpoint { Name = "/cart", RequestsPerSecond = 20, ErrorRate = 0.005 },
                    new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 40, ErrorRate = 0.005 },
                    new SimulatedEndpoint { Name = "/home", RequestsPerSecond = 40 - payPerSecond, ErrorRate = 0.005 },
                ],
                Faults = faults,
            },
            seed);

    /// <summary>
    /// One check for every analysis step of the policy: its evidence and its α run across the steps, so α bounds the false
    /// rollbacks of the whole policy rather than of each step.
    /// </summary>
    private static Func<TimeSpan, IReadOnlyDictionary<string, IAnalysisCheck>> OneCheckForTheWholePolicy(SimulatedTrafficSource source)
    {
        var weights = new EndpointWeights { ["/pay"] = 0.4, ["/cart"] = 0.2, ["/search"] = 0.2, ["/home"] = 0.2 };
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector,
            TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria { Weights = weights, MinimumRequestsPerEndpoint = 30 });
        return _ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check };
    }

    /// <summary>When the fail-fast step's last look happens: its 13th minute, up to a second later on a jittered timer.</summary>
    private static TimeSpan StepEnd(bool jitter) => jitter ? FailFast + TimeSpan.FromSeconds(1) : FailFast;

    internal static SimulationOutcome Simulate(int seed, TimeSpan duration, bool jitter, params SimulatedFault[] faults) => Simulate(seed, duration, 2, jitter, faults);

    internal static SimulationOutcome Simulate(int seed, TimeSpan duration, double payPerSecond, bool jitter, params SimulatedFault[] faults)
    {
        var source = Source(seed, Start, TrafficProfile.Flat, faults, payPerSecond);
        var policy = CanaryPolicies.FailFastThenSoak(OneCheckForTheWholePolicy(source));
        return Rollout(new CanaryRollout(policy, Start), source, duration, jitter, seed);
    }

    internal static SimulationOutcome SimulateLongSoak(int seed, bool jitter, params SimulatedFault[] faults)
    {
        var midnight = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var source = Source(seed, midnight, TrafficProfile.Daily, faults);
        var policy = CanaryPolicies.LongSoak(OneCheckForTheWholePolicy(source));
        return Rollout(new CanaryRollout(policy, midnight), source, TimeSpan.FromHours(26), jitter, seed);
    }

    /// <summary>A controller ticking every minute: on virtual whole minutes, or (jitter) up to a second late at a random tick each time.</summary>
    private static SimulationOutcome Rollout(CanaryRollout rollout, SimulatedTrafficSource source, TimeSpan duration, bool jitter, int seed) => (jitter
        ? Simulator.RunRolloutAsync(rollout, source, TimeSpan.FromMinutes(1), duration, TickJitter.SubSecond(seed))
        : Simulator.RunRolloutAsync(rollout, source, TimeSpan.FromMinutes(1), duration)).GetAwaiter().GetResult();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RareWeightedEndpoint_FivePercentErrors_RolledBackInTheFailFastStep(bool jitter)
    {
        var result = MonteCarlo.Run(200, Seed, s => Simulate(s, FailFast + TimeSpan.FromMinutes(1), jitter, SimulatedFault.Errors(0.05, "/pay")));
        var best = InformationBound.BestDetection(2 * 60 * 0.05 * FailFast.TotalMinutes, 0.005, 0.05, 0.05);
        output.WriteLine($"/pay 0.5 % → 5 % (2 % of traffic, 40 % of weight), within the {FailFast.TotalMinutes:0}-minute fail-fast step: {result.FailedWithin(StepEnd(jitter)):P1} ({result}); the best test at α 0.05 knowing the baseline's rate: {best:P1}");
        // ~78 canary requests reach /pay in 13 minutes at 5 %: about half the runs see enough errors; none passes.
        Assert.True(result.FailedWithin(StepEnd(jitter)) >= 0.4, result.ToString());
        Assert.True(result.FailedWithin(StepEnd(jitter)) <= best, result.ToString());
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WeightedEndpointWithEnoughTraffic_FivePercentErrors_RolledBackInTheFailFastStep(bool jitter)
    {
        // /pay at 5 % of the traffic (~195 canary requests in the step): enough information for the fail-fast step to decide.
        var result = MonteCarlo.Run(200, Seed, s => Simulate(s, FailFast + TimeSpan.FromMinutes(1), 5, jitter, SimulatedFault.Errors(0.05, "/pay")));
        var best = InformationBound.BestDetection(5 * 60 * 0.05 * FailFast.TotalMinutes, 0.005, 0.05, 0.05);
        output.WriteLine($"/pay 0.5 % → 5 % (5 % of traffic, 40 % of weight), within the fail-fast step: {result.FailedWithin(StepEnd(jitter)):P1} ({result}); best possible {best:P1}");
        Assert.True(result.FailedWithin(StepEnd(jitter)) >= 0.88, result.ToString());
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RareWeightedEndpoint_TwentyFivePercentErrors_RolledBackWithinMinutes(bool jitter)
    {
        var result = MonteCarlo.Run(200, Seed, s => Simulate(s, FailFast + TimeSpan.FromMinutes(1), jitter, SimulatedFault.Errors(0.25, "/pay")));
        output.WriteLine($"/pay 0.5 % → 25 %, fail-fast step: {result}");
        Assert.True(result.DetectionRate >= 0.95, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HealthyRelease_FalseRollbacksAreReported_AndUnprovenReleasesPauseInsteadOfPromoting(bool jitter)
    {
        var result = MonteCarlo.Run(100, Seed, s => Simulate(s, TimeSpan.FromHours(2), jitter));
        output.WriteLine($"healthy release through the whole preset (73 minutes): {result}");
        Assert.True(result.FalseAlarmRate <= 0.05 + (3 * result.FailedRateStandardError), result.ToString());

        // A Pass proves the canary's weighted success rate at most 1 point below the baseline's; /pay (2 req/s, 40 % of the
        // weight) has some 800 canary requests in 73 minutes, rarely enough: most healthy releases pause for a human.
        Assert.True(result.Rate(SimulationOutcomeKind.Inconclusive) >= 0.85, result.ToString());
        Assert.True(result.Rate(SimulationOutcomeKind.Succeeded) <= 0.1, result.ToString());
    }

    [Fact]
    public void HealthyRelease_WithAMarginThePolicyCanProve_IsPromoted()
    {
        var result = MonteCarlo.Run(100, Seed, s =>
        {
            var source = Source(s, Start, TrafficProfile.Flat, []);
            var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
                new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/pay"] = 0.4, ["/cart"] = 0.2, ["/search"] = 0.2, ["/home"] = 0.2 }, MinimumRequestsPerEndpoint = 30, NonInferiorityMargin = 0.02 });
            var policy = CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check });
            return Rollout(new CanaryRollout(policy, Start), source, TimeSpan.FromHours(2), jitter: false, s);
        });
        output.WriteLine($"healthy release through the whole preset (73 minutes), 2-point margin: {result}");
        Assert.True(result.Rate(SimulationOutcomeKind.Succeeded) >= 0.85, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HealthyRelease_LongSoakAcrossADay_FalseRollbacksWithinAlphaForTheWholePolicy(bool jitter)
    {
        var result = MonteCarlo.Run(60, Seed, s => SimulateLongSoak(s, jitter));
        output.WriteLine($"healthy release through the long-soak preset (13 minutes + 24 h, daily profile, one check across both steps): {result}");
        Assert.True(result.FalseAlarmRate <= 0.05 + (3 * result.FailedRateStandardError), result.ToString());
        Assert.True(result.Rate(SimulationOutcomeKind.Succeeded) >= 0.85, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RareWeightedEndpoint_FivePercentErrors_LongSoak_CaughtWithinHours(bool jitter)
    {
        var result = MonteCarlo.Run(60, Seed, s => SimulateLongSoak(s, jitter, SimulatedFault.Errors(0.05, "/pay")));
        output.WriteLine($"/pay 0.5 % → 5 %, long-soak preset from midnight (daily profile): {result}");
        Assert.True(result.DetectionRate >= 0.95, result.ToString());
        Assert.Equal(0, result.Counts[SimulationOutcomeKind.Succeeded]);
    }
}
