using Canary.Analysis.Policies;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>Runs a rollout once a minute until it promotes, rolls back or pauses.</summary>
internal static class RolloutRunner
{
    public static async Task<RolloutDecision> RunAsync(CanaryPolicy policy, DateTimeOffset start, TimeSpan limit)
    {
        var rollout = new CanaryRollout(policy, start);
        RolloutDecision? decision = null;
        for (var t = start; t <= start + limit; t += TimeSpan.FromMinutes(1))
        {
            decision = await rollout.TickAsync(t);
            if (decision.Action is RolloutAction.Promote or RolloutAction.Rollback or RolloutAction.Pause)
            {
                break;
            }
        }

        return decision!;
    }
}
