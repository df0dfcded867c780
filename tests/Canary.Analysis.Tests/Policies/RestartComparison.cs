using Canary.Analysis.Policies;
using Canary.Analysis.Simulation;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// Two rollouts of the same seeded traffic, ticked every minute on a jittered timer: one steady, one whose controller restarts
/// after every tick (the state through <see cref="RolloutState.ToJson"/>, a new policy with new checks, resumed). They must
/// decide alike at every tick.
/// </summary>
internal static class RestartComparison
{
    /// <summary>
    /// Ticks both rollouts until one promotes or rolls back (asserting they agree at every tick, on the decision and on every
    /// measurement's reason), and returns that decision and whether the restarted rollout's saved state ever held <paramref name="savedMarker"/>.
    /// </summary>
    internal static async Task<(RolloutDecision Decision, bool MarkerSaved)> DecideAsync(
        Func<SimulatedTrafficSource> newSource, Func<SimulatedTrafficSource, CanaryPolicy> newPolicy, DateTimeOffset start, int seed, string savedMarker)
    {
        var steadySource = newSource();
        var restartedSource = newSource();
        var steady = new CanaryRollout(newPolicy(steadySource), start);
        var restarted = new CanaryRollout(newPolicy(restartedSource), start);
        var jitter = new Random(seed);
        var saved = false;

        for (var minute = 0; minute < 80; minute++)
        {
            // A controller's timer: a little late, at a sub-millisecond offset.
            var now = start + TimeSpan.FromMinutes(minute) + TimeSpan.FromTicks(jitter.NextInt64(TimeSpan.TicksPerSecond));
            restarted = CanaryRollout.Resume(newPolicy(restartedSource), RolloutState.FromJson(restarted.State.ToJson()));
            var expected = await Settle(steady, steadySource, now);
            var actual = await Settle(restarted, restartedSource, now);

            Assert.Equal((expected.Action, expected.Weight, expected.Reason), (actual.Action, actual.Weight, actual.Reason));
            Assert.Equal(steady.State, restarted.State);
            Assert.Equal(
                expected.Analyses.SelectMany(a => a.History).Select(m => m.Reason),
                actual.Analyses.SelectMany(a => a.History).Select(m => m.Reason));
            saved |= restarted.State.ToJson().Contains(savedMarker, StringComparison.Ordinal);
            if (expected.Action is RolloutAction.Promote or RolloutAction.Rollback)
            {
                return (expected, saved);
            }
        }

        Assert.Fail($"Neither promoted nor rolled back: {steady.State.Message}");
        return default;
    }

    /// <summary>Ticks through advances, setting the simulated canary weight as the rollout sets it.</summary>
    internal static async Task<RolloutDecision> Settle(CanaryRollout rollout, SimulatedTrafficSource source, DateTimeOffset now)
    {
        var decision = await rollout.TickUntilSettledAsync(now, d => source.SetCanaryWeight(now, d.Weight / 100.0));
        source.SetCanaryWeight(now, decision.Weight / 100.0);
        return decision;
    }
}
