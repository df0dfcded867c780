using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// <see cref="SequentialLatencyCheck"/> in a rollout whose controller restarts after every tick: the state goes through
/// <see cref="RolloutState.ToJson"/>, a new policy with a new check resumes it, and the check's evidence — the test and the
/// bounds fixed from the baseline's hour before the canary — travels in the state, so the restarted rollout decides exactly
/// as one that never restarted.
/// </summary>
public sealed class SequentialLatencyCheckRestartTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>The world starts an hour before the rollout; the canary has no traffic until the rollout sets its weight.</summary>
    private static SimulatedTrafficSource Source(int seed, params SimulatedFault[] faults) => new(
        new SimulatedTrafficModel
        {
            Start = Start - TimeSpan.FromHours(1),
            CanaryWeight = 0,
            Endpoints =
            [
                new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = 2, ErrorRate = 0.005, LatencyMedianSeconds = 0.06 },
                new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 60, ErrorRate = 0.005, LatencyMedianSeconds = 0.03 },
                new SimulatedEndpoint { Name = "/home", RequestsPerSecond = 38, ErrorRate = 0.005, LatencyMedianSeconds = 0.02 },
            ],
            Faults = faults,
        },
        seed);

    private static SequentialLatencyCheck NewCheck(SimulatedTrafficSource source) =>
        new(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), new SequentialLatencyCriteria
        {
            // A margin the preset's 73 minutes can prove (a Pass proves the share within the bound at most 5 points below the baseline's).
            Test = { Weights = new EndpointWeights { ["/pay"] = 0.5, ["/search"] = 0.25, ["/home"] = 0.25 }, MinimumRequestsPerEndpoint = 30, NonInferiorityMargin = 0.05 },
        });

    /// <summary>What a controller builds at start-up: a new check (one for every step) in a new policy.</summary>
    private static CanaryPolicy NewPolicy(SimulatedTrafficSource source)
    {
        var check = NewCheck(source);
        return CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["latency"] = check });
    }

    [Theory]
    [InlineData(21, false)]
    [InlineData(22, true)]
    [InlineData(23, true)]
    public async Task RestartAfterEveryTick_NewCheckObjects_DecidesExactlyAsWithoutRestarts(int seed, bool slow)
    {
        SimulatedFault[] faults = slow ? [SimulatedFault.Latency(3, "/pay")] : [];
        var (decision, saved) = await RestartComparison.DecideAsync(() => Source(seed, faults), NewPolicy, Start, seed, "\"bounds\":[{");
        Assert.Equal(slow ? RolloutAction.Rollback : RolloutAction.Promote, decision.Action);
        Assert.True(saved, "the bounds are in the saved state");
        if (slow)
        {
            Assert.Contains("/pay: canary slow requests", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bounds_AreTheBaselinesP99Buckets_FromTheHourBeforeTheFirstWindow_AndStayFixed()
    {
        var source = Source(5, SimulatedFault.Latency(3));
        source.SetCanaryWeight(Start, 0.05);
        var check = NewCheck(source);
        await check.MeasureAsync(Start + TimeSpan.FromMinutes(1));
        var bounds = check.Evidence.Bounds;

        // Log-normal latencies with spread 0.5: p99 = 3.2 × the median, so /pay (60 ms) → the 0.25 s bucket, /search (30 ms) → 0.1 s,
        // /home (20 ms) → 0.075 s, chosen at the first window's start from the baseline alone.
        Assert.Equal(
            [("/home", 0.075), ("/pay", 0.25), ("/search", 0.1)],
            bounds.Select(b => (b.Endpoint, b.UpperBound)).Order());
        Assert.All(bounds, b => Assert.Equal(Start, b.ChosenAt));
        Assert.All(bounds, b => Assert.InRange(b.BaselineSlowShare, 0, 0.01));
        Assert.True(bounds.Single(b => b.Endpoint == "/pay").BaselineRequests > 6000);

        // The canary is three times slower from the start: later windows never move the bounds.
        for (var minute = 2; minute <= 10; minute++)
        {
            await check.MeasureAsync(Start + TimeSpan.FromMinutes(minute));
        }

        Assert.Equal(bounds, check.Evidence.Bounds);
    }

    [Fact]
    public async Task Description_AndEvidence_AreThoseOfASequentialLatencyTest()
    {
        var source = Source(1);
        source.SetCanaryWeight(Start, 0.05);
        var check = NewCheck(source);
        Assert.Equal(CheckSubject.Latency, check.Description.Judges);
        Assert.Equal(0.05, check.Description.SequentialAlpha);
        Assert.True(check.Description.ComparesWithBaseline);
        Assert.Null(check.Description.Window);
        Assert.Equal(0.5, check.Description.Weights!["/pay"]);
        Assert.Equal(30, check.Description.MinimumRequestsPerEndpoint);

        await check.MeasureAsync(Start + TimeSpan.FromMinutes(1));
        var saved = check.SaveEvidence().Json;
        var restored = NewCheck(source);
        restored.RestoreEvidence(saved);
        Assert.Equal(check.Evidence, restored.Evidence);
        Assert.Throws<FormatException>(() => restored.RestoreEvidence(JsonDocument.Parse("[1, 2]").RootElement));
        Assert.Throws<FormatException>(() => restored.RestoreEvidence(JsonDocument.Parse("{\"test\":null,\"surprise\":1}").RootElement));
        var noBounds = saved.GetRawText().Replace("\"upperBound\":0.25", "\"upperBound\":\"NaN\"", StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => restored.RestoreEvidence(JsonDocument.Parse(noBounds).RootElement));
    }
}
