using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using static Canary.Analysis.Tests.Policies.SavedRolloutStates;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// The state is a value: what is saved is what the rollout holds (history, range, each check's evidence), a resumed
/// rollout continues from exactly that, and a version-1 state is migrated.
/// </summary>
public sealed class RolloutStateValueTests
{
    private static CanaryPolicy CountingPolicy(CountingCheck check, string name = "counting") => new(name,
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("look", new AnalysisMetric { Name = "count", Check = check, Interval = Minute, Count = 5 }, Metric("scripted", "P", 5)),
    ]);

    private static CanaryPolicy FlakyPolicy() => new("flaky",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("look", new AnalysisMetric { Name = "flaky", Check = new ScriptedCheck("PFP"), Interval = Minute, Count = 5, FailureLimit = 3 }),
    ]);

    private static async Task<CanaryRollout> LookedTwice(CountingCheck check)
    {
        var rollout = new CanaryRollout(CountingPolicy(check), Start);
        await rollout.TickUntilSettledAsync(Start);
        await rollout.TickAsync(Start + Minute);
        return rollout;
    }

    [Fact]
    public async Task CheckEvidence_IsSaved_AndAResumedRolloutHandsItBack()
    {
        var rollout = await LookedTwice(new CountingCheck());
        var json = rollout.State.ToJson();
        Assert.Contains("\"checkEvidence\":{\"looks\":2}", json, StringComparison.Ordinal);
        Assert.Contains("\"checkEvidence\":null", json, StringComparison.Ordinal);

        var restarted = new CountingCheck();
        var resumed = CanaryRollout.Resume(CountingPolicy(restarted), RolloutState.FromJson(json));
        Assert.Equal(2, restarted.Looks);
        var next = await resumed.TickAsync(Start + (2 * Minute));
        Assert.Equal(3, restarted.Looks);
        Assert.Equal("look 3", next.StepAnalysis!.Metrics[0].Last!.Reason);
    }

    [Theory]
    [InlineData("{\"looks\":-1}", "A look count is never negative")]
    [InlineData("[2]", "Counting evidence is")]
    [InlineData("\"two\"", "Counting evidence is")]
    public async Task EvidenceTheCheckRefuses_RefusesTheState(string evidence, string why)
    {
        var json = (await LookedTwice(new CountingCheck())).State.ToJson().Replace("\"checkEvidence\":{\"looks\":2}", $"\"checkEvidence\":{evidence}", StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => CanaryRollout.Resume(CountingPolicy(new CountingCheck()), RolloutState.FromJson(json)));

        Assert.Contains("($.stepAnalysis): metrics[0].checkEvidence: the check of metric 'count' refused its saved evidence", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvidenceForACheckThatKeepsNone_RefusesTheState()
    {
        var json = (await LookedTwice(new CountingCheck())).State.ToJson().Replace("\"checkEvidence\":null", "\"checkEvidence\":{\"looks\":9}", StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => CanaryRollout.Resume(CountingPolicy(new CountingCheck()), RolloutState.FromJson(json)));

        Assert.Contains("metrics[1].checkEvidence: metric 'scripted' has saved evidence, but its check (ScriptedCheck) keeps none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryAndRange_SurviveARestart()
    {
        var rollout = new CanaryRollout(FlakyPolicy(), Start);
        for (var t = Start; t <= Start + (3 * Minute); t += Minute)
        {
            await rollout.TickAsync(t);
        }

        var saved = rollout.State.StepAnalysis!.Metrics[0];
        Assert.Equal((3, 0.5, 0.99), (saved.History.Count, saved.MinimumValue, saved.MaximumValue));

        var resumed = CanaryRollout.Resume(FlakyPolicy(), RolloutState.FromJson(rollout.State.ToJson()));
        Assert.Equal(saved, resumed.State.StepAnalysis!.Metrics[0]);
        Assert.Equal(rollout.State, resumed.State);
    }

    [Fact]
    public async Task NothingChanged_IsTheSameValue_AndAChangeIsANewOne()
    {
        var rollout = await LookedTwice(new CountingCheck());
        var before = rollout.State;

        await rollout.TickAsync(Start + Minute + TimeSpan.FromSeconds(5));
        Assert.Same(before, rollout.State);

        await rollout.TickAsync(Start + (2 * Minute));
        Assert.NotSame(before, rollout.State);
        Assert.NotEqual(before, rollout.State);
        Assert.Equal(before with { }, before);
    }

    [Fact]
    public async Task EveryVersion1State_IsMigrated_AndDecidesAsTheVersion2StateDoes()
    {
        foreach (var saved in await CaptureAsync())
        {
            var v1 = FormatV1.Downgrade(saved.Json);
            Assert.StartsWith("{\"version\":1,", v1, StringComparison.Ordinal);
            var migrated = RolloutState.FromJson(v1);
            Assert.Equal(RolloutState.CurrentVersion, migrated.Version);
            Assert.All(new[] { migrated.StepAnalysis, migrated.BackgroundAnalysis }.OfType<AnalysisRunState>().SelectMany(r => r.Metrics), m =>
            {
                Assert.True(m.History.Count <= 1);
                Assert.True(double.IsNaN(m.MinimumValue) && double.IsNaN(m.MaximumValue));
                Assert.Null(m.CheckEvidence);
            });

            var fromV2 = CanaryRollout.Resume(saved.Policy(), saved.State);
            var fromV1 = CanaryRollout.Resume(saved.Policy(), migrated);
            for (var t = saved.SavedAt; t < saved.SavedAt + (20 * Minute); t += Minute)
            {
                var (a, b) = (await fromV2.TickAsync(t), await fromV1.TickAsync(t));
                Assert.Equal((a.Action, a.Cause, a.Weight, a.Reason), (b.Action, b.Cause, b.Weight, b.Reason));
            }
        }
    }

    [Fact]
    public async Task Version1_TerminatedFlagThatDisagreesWithItsReason_IsMalformed()
    {
        var promoted = FormatV1.Downgrade((await CaptureAsync()).Single(s => s.Name == "promoted").Json);
        Assert.Contains("\"terminated\":true", promoted, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => RolloutState.FromJson(promoted.Replace("\"terminated\":true", "\"terminated\":false", StringComparison.Ordinal)));

        Assert.Contains(".terminated is false, but $.", error.Message, StringComparison.Ordinal);
    }
}
