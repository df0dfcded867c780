using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Simulation;

public sealed class RolloutRestartsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static SimulatedTrafficSource Source(int seed, params SimulatedFault[] faults)
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.Faults = faults;
        return new SimulatedTrafficSource(model, seed);
    }

    private static CanaryPolicy Policy(SimulatedTrafficSource source, List<SequentialErrorRateCheck> built)
    {
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1),
            new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 }, NonInferiorityMargin = Margin });
        built.Add(check);
        return CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check });
    }

    /// <summary>A margin the 73-minute policy proves for a healthy canary on DESIGN's scenario (1 point needs hours): these tests are about restarts.</summary>
    private const double Margin = 0.05;

    [Fact]
    public async Task Restarts_BuildANewPolicyAtEveryDueTime_AndResumeWithTheSavedEvidence()
    {
        var built = new List<SequentialErrorRateCheck>();
        var source = Source(5);
        var restarts = new RolloutRestarts(TimeSpan.FromMinutes(15), s => Policy(s, built));
        var outcome = await Simulator.RunRolloutAsync(new CanaryRollout(Policy(source, built), Start), source, TimeSpan.FromMinutes(1), TimeSpan.FromHours(2), null, restarts);

        Assert.Equal(SimulationOutcomeKind.Succeeded, outcome.Kind);
        var restartsBeforeTheEnd = (int)((outcome.EndedAt - Start).Ticks / TimeSpan.FromMinutes(15).Ticks);
        Assert.Equal(1 + restartsBeforeTheEnd, built.Count);

        // The last check object resumed the test: it has counted the whole policy's requests, not only its own 15 minutes.
        var last = built[^1].SaveEvidence().Json.GetRawText();
        var first = built[0].SaveEvidence().Json.GetRawText();
        Assert.NotEqual(first, last);
        Assert.True(built.Skip(1).All(c => c.SaveEvidence().Json.GetRawText().Contains("\"canaryRequests\"", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task WithoutCarriedEvidence_EveryRestartStartsAFreshTest()
    {
        var carried = new List<SequentialErrorRateCheck>();
        var dropped = new List<SequentialErrorRateCheck>();
        var a = Source(6);
        var b = Source(6);
        var keep = await Simulator.RunRolloutAsync(new CanaryRollout(Policy(a, carried), Start), a, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(40), null,
            new RolloutRestarts(TimeSpan.FromMinutes(15), s => Policy(s, carried)));
        var drop = await Simulator.RunRolloutAsync(new CanaryRollout(Policy(b, dropped), Start), b, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(40), null,
            new RolloutRestarts(TimeSpan.FromMinutes(15), s => Policy(s, dropped)) { CarryCheckEvidence = false });

        // Same traffic, same looks; only the evidence differs: the fresh checks judged far fewer requests.
        static long CanaryRequests(SequentialErrorRateCheck check) =>
            check.SaveEvidence().Json.GetProperty("endpoints").EnumerateArray().Sum(e => e.GetProperty("canaryRequests").GetInt64());
        Assert.True(CanaryRequests(dropped[^1]) < CanaryRequests(carried[^1]) / 2, $"{CanaryRequests(dropped[^1])} vs {CanaryRequests(carried[^1])}");
        Assert.Equal(keep.Kind, drop.Kind);
    }

    [Fact]
    public void DueAfter_IsEveryPeriod_PlusTheJittersDelay()
    {
        var plain = new RolloutRestarts(TimeSpan.FromMinutes(15), _ => throw new InvalidOperationException());
        Assert.Equal(TimeSpan.FromMinutes(30), plain.DueAfter(2));
        var jittered = new RolloutRestarts(TimeSpan.FromMinutes(15), _ => throw new InvalidOperationException()) { Jitter = new TickJitter(3, TimeSpan.FromMinutes(15)) };
        Assert.InRange(jittered.DueAfter(2), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(45));
        Assert.Equal(jittered.DueAfter(2), jittered.DueAfter(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.DueAfter(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutRestarts(TimeSpan.Zero, _ => throw new InvalidOperationException()));
        Assert.Throws<ArgumentNullException>(() => new RolloutRestarts(TimeSpan.FromMinutes(1), null!));
    }

    [Fact]
    public void SharedOutage_HitsBothVersions_OnlyForItsDuration()
    {
        var source = Source(3, SimulatedFault.SharedOutage(0.5, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5), "/api/e01"));
        TrafficSnapshot Read(LabelSelector selector, int fromMinute, int toMinute) =>
            source.Read(new TrafficQuery(selector, Start + TimeSpan.FromMinutes(toMinute), TimeSpan.FromMinutes(toMinute - fromMinute)));
        foreach (var selector in new[] { SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector })
        {
            Assert.InRange(Read(selector, 0, 10).Endpoints["/api/e01"].SuccessRate, 0.9, 1);
            Assert.InRange(Read(selector, 10, 15).Endpoints["/api/e01"].SuccessRate, 0.3, 0.7);
            Assert.InRange(Read(selector, 15, 60).Endpoints["/api/e01"].SuccessRate, 0.9, 1);
            Assert.InRange(Read(selector, 10, 15).Endpoints["/api/e02"].SuccessRate, 0.9, 1);
        }

        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.Faults = [new SimulatedFault { ErrorRate = 0.5, Duration = TimeSpan.Zero }];
        Assert.Throws<ArgumentException>(model.Validate);
        Assert.Contains("both versions", SimulatedFault.SharedOutage(0.5, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FailedRateInterval_IsClopperPearson()
    {
        // R: binom.test(10, 100)$conf.int → 0.04900469 0.17622260; binom.test(0, 20)$conf.int → 0 0.1684335.
        var ten = new MonteCarloResult(Enumerable.Range(0, 100).Select(i => (i < 10 ? SimulationOutcomeKind.Failed : SimulationOutcomeKind.Succeeded, (TimeSpan?)null)));
        Assert.Equal(0.04900469, ten.FailedRateInterval().Lower, 7);
        Assert.Equal(0.17622260, ten.FailedRateInterval().Upper, 7);
        var none = new MonteCarloResult(Enumerable.Repeat((SimulationOutcomeKind.Succeeded, (TimeSpan?)null), 20));
        Assert.Equal(0, none.FailedRateInterval().Lower);
        Assert.Equal(0.1684335, none.FailedRateInterval().Upper, 7);
        Assert.Throws<ArgumentOutOfRangeException>(() => none.FailedRateInterval(1));
    }
}
