using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;

namespace PolicyTests;

/// <summary>
/// The team's own rollout policy and a model of its service's traffic: everything the tests below share.
/// Copy this file and replace the endpoints, rates and weights with your own.
/// </summary>
public static class CheckoutPolicy
{
    /// <summary>A Monday 14:00 UTC: the fail-fast step runs at peak traffic.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>How often Prometheus scrapes the service; the preset sizes the fail-fast step from it (13 minutes at 15 s).</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// /pay is rare (2 % of requests) but is what the business cares about most, so it carries 40 % of the weight:
    /// a plain aggregate success rate would hide a broken /pay behind the busy endpoints.
    /// </summary>
    public static EndpointWeights Weights => new() { ["/pay"] = 0.4, ["/cart"] = 0.2, ["/search"] = 0.2, ["/home"] = 0.2 };

    /// <summary>The service as the simulator sees it: per-endpoint request rates and a 0.5 % background error rate.</summary>
    public static SimulatedTrafficModel Traffic(params SimulatedFault[] faults) => new()
    {
        Start = Start,
        ScrapeInterval = ScrapeInterval,
        CanaryWeight = CanaryPolicies.FailFastWeight / 100.0,
        Endpoints =
        [
            new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = 2, ErrorRate = 0.005 },
            new SimulatedEndpoint { Name = "/cart", RequestsPerSecond = 20, ErrorRate = 0.005 },
            new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 40, ErrorRate = 0.005 },
            new SimulatedEndpoint { Name = "/home", RequestsPerSecond = 38, ErrorRate = 0.005 },
        ],
        Faults = faults,
    };

    /// <summary>
    /// The policy: the preset fail-fast-then-soak (5 % for 13 minutes, then 10 % for 30 minutes, twice), judged at every
    /// step by a sequential canary-vs-baseline error-rate test that may look every minute without raising false alarms.
    /// The factory is called once per analysis step and returns the same check every time: its evidence carries over from
    /// step to step and its α (5 %) bounds the false rollbacks of the whole policy, not of each step.
    /// </summary>
    public static CanaryPolicy Create(Canary.Analysis.Traffic.ITrafficSource source)
    {
        var errorRate = new SequentialErrorRateCheck(
            source,
            SimulatedTrafficSource.CanarySelector,
            SimulatedTrafficSource.BaselineSelector,
            TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = Weights, Alpha = 0.05, MinimumRequestsPerEndpoint = 30 });
        return CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = errorRate }, ScrapeInterval);
    }

    /// <summary>
    /// Runs the policy against simulated traffic on a virtual clock, one tick a minute, like a controller would
    /// (<see cref="Simulator.RunRolloutAsync(CanaryRollout, SimulatedTrafficSource, TimeSpan, TimeSpan, CancellationToken)"/>): the canary's traffic share follows the rollout's weight; rollback is
    /// Failed, promotion Succeeded, a pause for a human Inconclusive, otherwise Undecided after <paramref name="duration"/>.
    /// </summary>
    public static Task<SimulationOutcome> SimulateAsync(int seed, TimeSpan duration, params SimulatedFault[] faults)
    {
        var source = new SimulatedTrafficSource(Traffic(faults), seed);
        return Simulator.RunRolloutAsync(new CanaryRollout(Create(source), Start), source, TimeSpan.FromMinutes(1), duration);
    }

    /// <summary>The synchronous form <see cref="MonteCarlo.Run"/> takes.</summary>
    public static SimulationOutcome Simulate(int seed, TimeSpan duration, params SimulatedFault[] faults) =>
        SimulateAsync(seed, duration, faults).GetAwaiter().GetResult();
}
