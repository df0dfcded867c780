using System.Text.Json;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// A controller that restarts: after every tick the rollout's state goes through <see cref="RolloutState.ToJson"/>, and a new
/// policy with a new <see cref="SequentialErrorRateCheck"/> resumes it. The check's evidence travels in the saved state, so
/// the restarted rollout continues the same sequential test and decides exactly as one that never restarted.
/// </summary>
public sealed class SequentialCheckRestartTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static SimulatedTrafficSource Source(int seed, params SimulatedFault[] faults) => new(
        new SimulatedTrafficModel
        {
            Start = Start,
            CanaryWeight = 0.05,
            Endpoints =
            [
                new SimulatedEndpoint { Name = "/pay", RequestsPerSecond = 2, ErrorRate = 0.005 },
                new SimulatedEndpoint { Name = "/search", RequestsPerSecond = 60, ErrorRate = 0.005 },
                new SimulatedEndpoint { Name = "/home", RequestsPerSecond = 38, ErrorRate = 0.005 },
            ],
            Faults = faults,
        },
        seed);

    /// <summary>What a controller builds at start-up: a new check (one for every step) in a new policy.</summary>
    private static CanaryPolicy NewPolicy(SimulatedTrafficSource source)
    {
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector,
            TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria
            {
                Weights = new EndpointWeights { ["/pay"] = 0.5, ["/search"] = 0.25, ["/home"] = 0.25 },
                MinimumRequestsPerEndpoint = 30,

                // A margin the 73-minute policy can prove for a healthy canary here (1 point would need hours): this test is
                // about restarts deciding as no restart does, promotions included.
                NonInferiorityMargin = 0.05,
            });
        return CanaryPolicies.FailFastThenSoak(_ => new Dictionary<string, IAnalysisCheck> { ["error-rate"] = check });
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(13, true)]
    public async Task RestartAfterEveryTick_NewCheckObjects_DecidesExactlyAsWithoutRestarts(int seed, bool failing)
    {
        SimulatedFault[] faults = failing ? [SimulatedFault.Errors(0.25, "/pay")] : [];
        var (decision, saved) = await RestartComparison.DecideAsync(() => Source(seed, faults), NewPolicy, Start, seed, "\"checkEvidence\":{");
        Assert.Equal(failing ? RolloutAction.Rollback : RolloutAction.Promote, decision.Action);
        Assert.True(saved, "the sequential check's evidence is in the saved state");
    }

    [Fact]
    public void RestoreEvidence_RefusesWhatTheCheckCouldNotHaveSaved()
    {
        var source = Source(1);
        var check = (SequentialErrorRateCheck)NewPolicy(source).Steps.First(s => s.Metrics.Count > 0).Metrics[0].Check;
        var saved = check.SaveEvidence().Json;

        Assert.Throws<FormatException>(() => check.RestoreEvidence(JsonDocument.Parse("[1, 2]").RootElement));
        Assert.Throws<FormatException>(() => check.RestoreEvidence(JsonDocument.Parse("{\"serviceWide\":null,\"surprise\":1}").RootElement));
        check.RestoreEvidence(saved);
        Assert.Equal(CheckEvidence.FromJson(saved), check.SaveEvidence());
    }
}
