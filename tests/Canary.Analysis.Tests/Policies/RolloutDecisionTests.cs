using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies;

/// <summary>Decisions are data: cause, step, the deciding analyses, weights and the next tick; the reason is a view of them.</summary>
public sealed class RolloutDecisionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static AnalysisMetric Metric(string name, string script, int count = 2) =>
        new() { Name = name, Check = new ScriptedCheck(script), Interval = Minute, Count = count };

    private static CanaryPolicy Policy(string script = "P", int? replicas = null) => new("decisions",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("canary", Metric("success-rate", script), Metric("latency", "P")),
        CanaryStep.SetWeight(20),
        CanaryStep.Pause(TimeSpan.FromMinutes(10)),
    ])
    {
        Replicas = replicas,
    };

    [Fact]
    public async Task Advance_CarriesTheCompletedStepsAnalysis_AndSaysWhenToTickAgain()
    {
        var rollout = new CanaryRollout(Policy(), Start);
        var setWeight = await rollout.TickAsync(Start);
        var look = await rollout.TickAsync(Start + Minute);
        var advance = await rollout.TickAsync(Start + (2 * Minute));

        Assert.Equal((RolloutAction.Advance, DecisionCause.WeightSet, 0, 5, (DateTimeOffset?)Start), (setWeight.Action, setWeight.Cause, setWeight.StepIndex, setWeight.Weight, setWeight.NextTickAt));
        Assert.Equal((RolloutAction.Continue, DecisionCause.AnalysisRunning, 1, (DateTimeOffset?)(Start + (2 * Minute))), (look.Action, look.Cause, look.StepIndex, look.NextTickAt));
        Assert.Equal((RolloutAction.Advance, DecisionCause.AnalysisSuccessful, 1, "canary"), (advance.Action, advance.Cause, advance.StepIndex, advance.Step?.Name));
        Assert.Equal(AnalysisPhase.Successful, advance.StepAnalysis!.Phase);
        Assert.Equal(["success-rate", "latency"], advance.Analyses.Select(m => m.Name));
        Assert.All(advance.Analyses, m => Assert.Equal(Verdict.Pass, m.Last?.Evidence?.Verdict));
        Assert.Equal(Start + (2 * Minute), advance.NextTickAt);
        Assert.Null(rollout.State.StepAnalysis);
    }

    [Fact]
    public async Task Rollback_NamesTheStep_TheWeightItRanAt_AndTheFirstFailingMetricInThePolicysOrder()
    {
        var policy = new CanaryPolicy("order",
        [
            CanaryStep.SetWeight(5),
            CanaryStep.Analysis("canary", Metric("zeta", "F", 3), Metric("alpha", "F", 3)),
        ]);
        var rollout = new CanaryRollout(policy, Start);
        await rollout.TickAsync(Start);

        var rollback = await rollout.TickAsync(Start + Minute);

        Assert.Equal((RolloutAction.Rollback, DecisionCause.AnalysisFailed, 1, 5, 0), (rollback.Action, rollback.Cause, rollback.StepIndex, rollback.StepWeight, rollback.Weight));
        Assert.Null(rollback.NextTickAt);
        Assert.StartsWith("zeta: ", rollback.StepAnalysis!.Message, StringComparison.Ordinal);
        Assert.StartsWith("Analysis 'canary' at 5 % failed: zeta: 1 failed measurement(s)", rollback.Reason, StringComparison.Ordinal);
        Assert.Equal(rollback.Reason, RolloutDecisionFormatter.Format(rollback));
        Assert.Equal(rollback.Reason, rollout.State.Message);
    }

    [Fact]
    public async Task EffectiveWeight_IsThePodShare_WhenThePolicyHasReplicas_ElseTheRequestedWeight()
    {
        var routed = await new CanaryRollout(Policy(), Start).TickAsync(Start);
        var pods = await new CanaryRollout(Policy(replicas: 4), Start).TickAsync(Start);

        Assert.Equal((5, 5.0), (routed.Weight, routed.EffectiveWeight));
        Assert.Null(routed.Split);
        Assert.Equal(ReplicaSplit.ForWeight(4, 5).EffectiveWeight, pods.EffectiveWeight);
        Assert.Equal((1, 4), (pods.Split!.Canary, pods.Split.Stable));
        Assert.Equal(20.0, pods.EffectiveWeight);
    }

    [Fact]
    public async Task TickUntilSettled_TicksThroughAdvances_AndReportsEachDecision()
    {
        var rollout = new CanaryRollout(Policy(), Start);
        var seen = new List<(RolloutAction, DecisionCause)>();

        // The analysis measures as its step starts (no initial delay) and again a minute later: then it completes.
        var first = await rollout.TickUntilSettledAsync(Start, d => seen.Add((d.Action, d.Cause)));
        var pausing = await rollout.TickUntilSettledAsync(Start + Minute, d => seen.Add((d.Action, d.Cause)));

        Assert.Equal((RolloutAction.Continue, DecisionCause.AnalysisRunning), (first.Action, first.Cause));
        Assert.Equal((RolloutAction.Continue, DecisionCause.Pausing, 3), (pausing.Action, pausing.Cause, pausing.StepIndex));
        Assert.Equal(Start + (11 * Minute), pausing.NextTickAt);
        Assert.Equal(
            [(RolloutAction.Advance, DecisionCause.WeightSet), (RolloutAction.Continue, DecisionCause.AnalysisRunning),
             (RolloutAction.Advance, DecisionCause.AnalysisSuccessful), (RolloutAction.Advance, DecisionCause.WeightSet), (RolloutAction.Continue, DecisionCause.Pausing)],
            seen);
    }

    [Fact]
    public async Task Commands_AreTheCause_WithTheCommandItself()
    {
        var rollout = new CanaryRollout(Policy(), Start);
        await rollout.TickUntilSettledAsync(Start);

        var skip = rollout.Apply(ManualAction.SkipAnalysis, "bob", "hotfix", Start);
        var skipped = await rollout.TickAsync(Start);
        var abort = rollout.Apply(ManualAction.Abort, "alice", "wrong build", Start + Minute);

        Assert.Equal((DecisionCause.ManualSkipAnalysis, "bob", (DateTimeOffset?)Start), (skip.Cause, skip.Command?.By, skip.NextTickAt));
        Assert.Equal((RolloutAction.Advance, DecisionCause.AnalysisSkipped), (skipped.Action, skipped.Cause));
        Assert.Equal("Analysis 'canary' skipped (bob: hotfix).", skipped.Reason);
        Assert.Equal((RolloutAction.Rollback, DecisionCause.ManualAbort, ManualAction.Abort), (abort.Action, abort.Cause, abort.Command!.Action));
        Assert.Equal("Aborted by alice: wrong build [analysis skipped by bob]", abort.Reason);
        Assert.Equal((DecisionCause.RolledBack, abort.Reason), ((await rollout.TickAsync(Start + (2 * Minute))).Cause, (await rollout.TickAsync(Start + (2 * Minute))).Reason));
    }
}
