using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Simulation;

/// <summary>
/// DESIGN.md's decision-quality scenario: 25 endpoints at 100 req/s, /rare at 0.3 req/s, 0.5 % errors, a 5 % canary,
/// a look every minute; judged by one weighted SuccessRateCheck giving /rare 20 % of the weight.
/// </summary>
internal static class DesignScenario
{
    /// <summary>A Monday 14:00 UTC: peak traffic for the 13-minute step.</summary>
    internal static readonly DateTimeOffset Peak = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Midnight UTC: the 24-hour run covers the night trough and the peak.</summary>
    internal static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    internal static SimulatedTrafficModel Model(DateTimeOffset start, TrafficProfile profile, params SimulatedFault[] faults)
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(start);
        model.Profile = profile;
        model.Faults = faults;
        return model;
    }

    internal static SuccessRateCriteria Criteria(double minimumRequests = 50) => new()
    {
        Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 },
        MinimumSuccessRate = 0.99,
        MinimumRequestsPerEndpoint = minimumRequests,
    };

    /// <summary>The fail-fast step: a look every minute for 13 minutes over everything since the start; fail on the first Fail.</summary>
    internal static AnalysisRun FailFastRun(SimulatedTrafficSource source, double minimumRequests = 50) => new(
    [
        new AnalysisMetric
        {
            Name = "success-rate",
            Check = new SuccessRateCheck(source, SimulatedTrafficSource.CanarySelector, TimeSpan.FromMinutes(13), Criteria(minimumRequests)),
            InitialDelay = TimeSpan.FromMinutes(1),
            Interval = TimeSpan.FromMinutes(1),
            Count = 13,
            FailureLimit = 0,
            InconclusiveLimit = 12,
        },
    ], source.Start);

    /// <summary>A 24-hour analysis: a look every minute over everything since the start (cumulative); fail on the first Fail.</summary>
    internal static AnalysisRun DayRun(SimulatedTrafficSource source) => new(
    [
        new AnalysisMetric
        {
            Name = "success-rate",
            Check = new SuccessRateCheck(source, SimulatedTrafficSource.CanarySelector, TimeSpan.FromHours(24), Criteria()),
            InitialDelay = TimeSpan.FromMinutes(1),
            Interval = TimeSpan.FromMinutes(1),
            Count = 1440,
            FailureLimit = 0,
            InconclusiveLimit = 1439,
            HistoryLimit = 10,
        },
    ], source.Start);

    /// <summary>The sequential check's criteria in DESIGN's scenario: /rare weighs 20 %, α = 5 %.</summary>
    internal static SequentialErrorRateCriteria SequentialCriteria() =>
        new() { Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 }, Alpha = 0.05 };

    /// <summary>
    /// A run of a check: a look every minute, <paramref name="looks"/> looks, failing on the first Fail, never on Inconclusive;
    /// from <paramref name="start"/> (null: the source's start).
    /// </summary>
    internal static AnalysisRun SequentialRun(SimulatedTrafficSource source, IAnalysisCheck check, int looks, DateTimeOffset? start = null, string name = "sequential-error-rate") => new(
    [
        new AnalysisMetric
        {
            Name = name,
            Check = check,
            InitialDelay = TimeSpan.FromMinutes(1),
            Interval = TimeSpan.FromMinutes(1),
            Count = looks,
            InconclusiveLimit = looks,
            HistoryLimit = 5,
        },
    ], start ?? source.Start);

    internal static SimulationOutcome FailFast(int seed, double minimumRequests = 50, params SimulatedFault[] faults) =>
        FailFast(seed, jitter: false, minimumRequests, faults);

    /// <summary>
    /// The fail-fast step; with <paramref name="jitter"/> every look comes up to a second late at a random tick, as a
    /// controller's timer fires (the run's own Count still bounds the looks; a minute of slack lets the late ones happen).
    /// </summary>
    internal static SimulationOutcome FailFast(int seed, bool jitter, double minimumRequests = 50, params SimulatedFault[] faults)
    {
        var source = new SimulatedTrafficSource(Model(Peak, TrafficProfile.Flat, faults), seed);
        return Run(FailFastRun(source, minimumRequests), TimeSpan.FromMinutes(13), jitter, seed);
    }

    internal static SimulationOutcome Day(int seed, params SimulatedFault[] faults) => Day(seed, jitter: false, faults);

    internal static SimulationOutcome Day(int seed, bool jitter, params SimulatedFault[] faults)
    {
        var source = new SimulatedTrafficSource(Model(Midnight, TrafficProfile.Daily, faults), seed);
        return Run(DayRun(source), TimeSpan.FromHours(24), jitter, seed);
    }

    /// <summary>
    /// One <see cref="SequentialErrorRateCheck"/> (canary vs baseline) looking every minute for <paramref name="duration"/>
    /// over the window since its last look, failing on the first Fail; at peak with a flat profile, or from midnight.
    /// </summary>
    internal static SimulationOutcome Sequential(int seed, TimeSpan duration, TrafficProfile profile, bool jitter, SequentialErrorRateCriteria criteria, params SimulatedFault[] faults) =>
        Sequential(seed, duration, profile, jitter, criteria, shape: null, faults);

    /// <summary>As <see cref="Sequential(int, TimeSpan, TrafficProfile, bool, SequentialErrorRateCriteria, SimulatedFault[])"/>, with the model shaped by <paramref name="shape"/> (bursts, scrape interval).</summary>
    internal static SimulationOutcome Sequential(int seed, TimeSpan duration, TrafficProfile profile, bool jitter, SequentialErrorRateCriteria criteria, Action<SimulatedTrafficModel>? shape, params SimulatedFault[] faults)
    {
        var start = profile == TrafficProfile.Flat ? Peak : Midnight;
        var model = Model(start, profile, faults);
        shape?.Invoke(model);
        var source = new SimulatedTrafficSource(model, seed);
        var looks = (int)(duration / TimeSpan.FromMinutes(1));
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), criteria);
        var run = SequentialRun(source, check, looks);
        return Run(run, duration, jitter, seed);
    }

    /// <summary>Simulates a run in virtual whole minutes, or on a jittered timer (seeded from the run's seed).</summary>
    internal static SimulationOutcome Run(AnalysisRun run, TimeSpan duration, bool jitter, int seed) => jitter
        ? Simulator.RunAsync(run, duration + TimeSpan.FromMinutes(1), TickJitter.SubSecond(seed)).GetAwaiter().GetResult()
        : Simulator.RunAsync(run, duration).GetAwaiter().GetResult();
}
