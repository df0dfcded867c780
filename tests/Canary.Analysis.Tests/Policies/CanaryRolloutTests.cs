using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.Policies.Events;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies;

public sealed class CanaryRolloutTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static AnalysisMetric Metric(string script, int count = 3, string name = "success-rate") =>
        new() { Name = name, Check = new ScriptedCheck(script), Interval = Minute, Count = count };

    private static CanaryPolicy Policy(string script, params CanaryStep[] extra) => new("test",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("fail-fast", Metric(script)),
        CanaryStep.SetWeight(10),
        CanaryStep.Pause(TimeSpan.FromMinutes(30)),
        .. extra,
    ]);

    /// <summary>Ticks once a minute until the rollout promotes or rolls back; returns every decision.</summary>
    private static Task<List<RolloutDecision>> Run(CanaryRollout rollout, TimeSpan limit) => RolloutEventsTests.Run(rollout, Start, limit);

    [Fact]
    public async Task HealthyCanary_WalksEveryStepAndPromotes()
    {
        var rollout = new CanaryRollout(Policy("P"), Start);

        var decisions = await Run(rollout, TimeSpan.FromHours(2));

        Assert.Equal(RolloutAction.Advance, decisions[0].Action);
        Assert.Equal(5, decisions[0].Weight);
        Assert.Equal(RolloutAction.Promote, decisions[^1].Action);
        Assert.Equal(100, decisions[^1].Weight);
        Assert.Equal(RolloutStatus.Promoted, rollout.State.Status);
        var promotedAt = Start + TimeSpan.FromMinutes(decisions.Count - 1);
        Assert.True(promotedAt >= Start + TimeSpan.FromMinutes(33), $"promoted at {promotedAt}: the analysis and the 30-minute pause must both have run");
        Assert.Contains(decisions, d => d.Action == RolloutAction.Advance && d.Weight == 10);
    }

    [Fact]
    public async Task FailedAnalysis_RollsBackWithTheEvidence()
    {
        var rollout = new CanaryRollout(Policy("PF"), Start);

        var decision = (await Run(rollout, TimeSpan.FromHours(1)))[^1];

        Assert.Equal(RolloutAction.Rollback, decision.Action);
        Assert.Equal(0, decision.Weight);
        Assert.StartsWith("Analysis 'fail-fast' at 5 % failed: success-rate: 1 failed measurement(s)", decision.Reason, StringComparison.Ordinal);
        var metric = Assert.Single(decision.Analyses);
        Assert.Equal(MeasurementPhase.Failed, metric.Last!.Phase);
        Assert.NotNull(metric.Last.Evidence);
        Assert.Equal(RolloutAction.Rollback, (await rollout.TickAsync(Start + TimeSpan.FromHours(2))).Action);
    }

    [Fact]
    public async Task InconclusiveAnalysis_PausesForAHuman_ResumeContinues()
    {
        var rollout = new CanaryRollout(Policy("I"), Start);

        var paused = (await Run(rollout, TimeSpan.FromHours(1)))[^1];
        Assert.Equal(RolloutAction.Pause, paused.Action);
        Assert.Contains("inconclusive", paused.Reason, StringComparison.Ordinal);
        Assert.Equal(RolloutAction.Pause, (await rollout.TickAsync(Start + TimeSpan.FromHours(3))).Action);

        var resumed = rollout.Apply(ManualAction.Resume, "alice", "traffic is low at night; looked at the dashboards", Start + TimeSpan.FromHours(3));

        Assert.Equal(RolloutAction.Advance, resumed.Action);
        Assert.Equal(2, rollout.State.StepIndex);
        Assert.Equal("alice", Assert.Single(rollout.State.Overrides).By);
    }

    [Fact]
    public async Task FailFastStep_Inconclusive_AdvancesToTheSoak_WhichMustStillPass()
    {
        CanaryPolicy Policy(string soak) => new("fail-fast", [
            CanaryStep.SetWeight(5),
            CanaryStep.FailFastAnalysis("fail-fast", Metric("I")),
            CanaryStep.SetWeight(10),
            CanaryStep.Analysis("soak", Metric(soak)),
        ]);

        var passing = await Run(new CanaryRollout(Policy("P"), Start), TimeSpan.FromHours(1));
        var quiet = await Run(new CanaryRollout(Policy("I"), Start), TimeSpan.FromHours(1));

        var advanced = passing.First(d => d.Reason.StartsWith("Analysis 'fail-fast'", StringComparison.Ordinal));
        Assert.Equal(RolloutAction.Advance, advanced.Action);
        Assert.Contains("inconclusive, no regression seen", advanced.Reason, StringComparison.Ordinal);
        Assert.Contains("a later analysis must still pass", advanced.Reason, StringComparison.Ordinal);
        Assert.Equal(RolloutAction.Promote, passing[^1].Action);

        // The soak saw nothing conclusive either: a human decides, nothing is promoted.
        Assert.Equal(RolloutAction.Pause, quiet[^1].Action);
        Assert.StartsWith("Analysis 'soak' at 10 % inconclusive", quiet[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailFastStep_FailedOrInconclusiveWithNothingLeftToPass_RollsBackOrPauses_NeverPromotes()
    {
        var failing = new CanaryRollout(new CanaryPolicy("f", [CanaryStep.SetWeight(5), CanaryStep.FailFastAnalysis("fail-fast", Metric("PF"))]), Start);
        var lastStep = new CanaryRollout(new CanaryPolicy("l", [CanaryStep.SetWeight(5), CanaryStep.FailFastAnalysis("fail-fast", Metric("I")), CanaryStep.SetWeight(10)]), Start);
        var onlyFailFastLater = new CanaryRollout(new CanaryPolicy("o", [
            CanaryStep.SetWeight(5),
            CanaryStep.FailFastAnalysis("fail-fast", Metric("I")),
            CanaryStep.FailFastAnalysis("second", Metric("P")),
        ]), Start);

        Assert.Equal(RolloutAction.Rollback, (await Run(failing, TimeSpan.FromHours(1)))[^1].Action);
        Assert.Equal(RolloutAction.Pause, (await Run(lastStep, TimeSpan.FromHours(1)))[^1].Action);
        Assert.Equal(RolloutAction.Pause, (await Run(onlyFailFastLater, TimeSpan.FromHours(1)))[^1].Action);
        Assert.Equal("fail-fast analysis 'fail-fast' (success-rate)", lastStep.Policy.Steps[1].ToString());
    }

    [Fact]
    public async Task SkipAnalysis_ForAnUrgentFix_IsRecordedAndVisibleInLaterDecisions()
    {
        var rollout = new CanaryRollout(Policy("F"), Start);
        await rollout.TickAsync(Start);

        rollout.Apply(ManualAction.SkipAnalysis, "bob", "hotfix for INC-42", Start + Minute);
        var decisions = await Run(rollout, TimeSpan.FromHours(2));

        Assert.Equal(RolloutAction.Promote, decisions[^1].Action);
        Assert.All(decisions.Skip(1), d => Assert.Contains("skipped", d.Reason, StringComparison.Ordinal));
        Assert.Contains(decisions, d => d.Reason.Contains("Analysis 'fail-fast' skipped (bob: hotfix for INC-42)", StringComparison.Ordinal));
        var record = Assert.Single(rollout.State.Overrides);
        Assert.Equal((ManualAction.SkipAnalysis, "bob", "hotfix for INC-42", 1), (record.Action, record.By, record.Reason, record.AtStep));
    }

    [Fact]
    public async Task Promote_SkipsTheRest_Abort_RollsBack_Retry_StartsOver()
    {
        var promoted = new CanaryRollout(Policy("P"), Start);
        await promoted.TickAsync(Start);
        Assert.Equal(RolloutAction.Promote, promoted.Apply(ManualAction.Promote, "carol", "customer waiting", Start + Minute).Action);

        var aborted = new CanaryRollout(Policy("P"), Start);
        await aborted.TickAsync(Start);
        var rollback = aborted.Apply(ManualAction.Abort, "dave", "saw errors in logs", Start + Minute);
        Assert.Equal((RolloutAction.Rollback, 0), (rollback.Action, rollback.Weight));
        Assert.Throws<InvalidOperationException>(() => aborted.Apply(ManualAction.Resume, "dave", "oops", Start + Minute));

        aborted.Apply(ManualAction.Retry, "dave", "fixed the config", Start + (2 * Minute));
        Assert.Equal((RolloutStatus.Progressing, 0, 0), (aborted.State.Status, aborted.State.StepIndex, aborted.State.Weight));
        Assert.Equal(2, aborted.State.Overrides.Count);
    }

    [Fact]
    public async Task PauseUntilResumed_WaitsForAHuman()
    {
        var rollout = new CanaryRollout(new CanaryPolicy("manual", [CanaryStep.SetWeight(50), CanaryStep.PauseUntilResumed()]), Start);
        await rollout.TickAsync(Start);

        Assert.Equal(RolloutAction.Pause, (await rollout.TickAsync(Start + Minute)).Action);
        Assert.Equal(RolloutAction.Pause, (await rollout.TickAsync(Start + TimeSpan.FromDays(2))).Action);
        Assert.Equal(RolloutAction.Promote, rollout.Apply(ManualAction.Resume, "erin", "looks good", Start + TimeSpan.FromDays(2)).Action);
    }

    [Fact]
    public async Task BackgroundAnalysis_FailureRollsBackFromItsStartingStep()
    {
        var background = new AnalysisMetric { Name = "bg", Check = new ScriptedCheck("PPF"), Interval = TimeSpan.FromMinutes(5) };
        var policy = new CanaryPolicy("bg", [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromHours(2))], [background], backgroundFromStep: 1);
        var rollout = new CanaryRollout(policy, Start);

        var decisions = await Run(rollout, TimeSpan.FromHours(3));

        Assert.Equal(RolloutAction.Rollback, decisions[^1].Action);
        Assert.StartsWith("Background analysis failed", decisions[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(Start + TimeSpan.FromMinutes(11), Start + TimeSpan.FromMinutes(decisions.Count - 1));
    }

    [Fact]
    public async Task State_RoundTripsThroughJsonMidAnalysis_AndTheResumedRolloutDecidesTheSame()
    {
        var policy = Policy("PPF");
        var original = new CanaryRollout(policy, Start);
        await original.TickAsync(Start);
        await original.TickAsync(Start + Minute);
        await original.TickAsync(Start + (2 * Minute));

        var json = original.State.ToJson();
        var restored = CanaryRollout.Resume(Policy("PPF"), RolloutState.FromJson(json));

        Assert.Equal(original.State, restored.State);
        Assert.Contains("\"status\":\"Progressing\"", json, StringComparison.Ordinal);
        Assert.Equal(2, restored.State.StepAnalysis!.Metrics[0].Successful);

        // The fresh policy's scripted check starts at its first answer: feed it past the two successes already counted.
        var resumedPolicy = new CanaryPolicy("test", [CanaryStep.SetWeight(5), CanaryStep.Analysis("fail-fast", Metric("F")), CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(30))]);
        var resumed = CanaryRollout.Resume(resumedPolicy, RolloutState.FromJson(json));
        Assert.Equal(RolloutAction.Continue, (await resumed.TickAsync(Start + (2 * Minute) + TimeSpan.FromSeconds(30))).Action);
        var decision = await resumed.TickAsync(Start + (3 * Minute));
        Assert.Equal(RolloutAction.Rollback, decision.Action);
        Assert.Equal(3, resumed.State.StepAnalysis!.Metrics[0].Successful + resumed.State.StepAnalysis.Metrics[0].Failed);
    }

    [Fact]
    public void Resume_OtherPolicy_Rejected() =>
        Assert.Contains("belongs to policy 'test'", Assert.Throws<ArgumentException>(() =>
            CanaryRollout.Resume(new CanaryPolicy("other", [CanaryStep.SetWeight(5)]), RolloutState.Start(Policy("P"), Start))).Message, StringComparison.Ordinal);

    [Fact]
    public void FromJson_Garbage_FormatException() => Assert.Throws<FormatException>(() => RolloutState.FromJson("{\"status\":"));

    [Fact]
    public void AnalysisStep_WithIndefiniteMetric_Rejected() =>
        Assert.Throws<ArgumentException>(() => CanaryStep.Analysis("x", new AnalysisMetric { Name = "m", Check = new ScriptedCheck("P"), Interval = Minute }));
}
