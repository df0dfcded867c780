using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies;

/// <summary>Ticks with nothing due (a controller reconciles every few seconds, a look is due once a minute).</summary>
public sealed class CanaryRolloutIdleTickTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CanaryRollout Rollout() => new(new CanaryPolicy("idle",
    [
        CanaryStep.SetWeight(5),
        CanaryStep.Analysis("fail-fast", Enumerable.Range(1, 5).Select(i => new AnalysisMetric { Name = $"check-{i}", Check = new ScriptedCheck("P"), Interval = Minute, InitialDelay = Minute, Count = 5 })),
    ]), Start);

    [Fact]
    public async Task NothingDue_KeepsTheStateAndTheReason_UntilTheNextLook()
    {
        var rollout = Rollout();
        await rollout.TickAsync(Start);
        var look = await rollout.TickAsync(Start + Minute);

        var idle = await rollout.TickAsync(Start + Minute + TimeSpan.FromSeconds(5));
        var idleAgain = await rollout.TickAsync(Start + Minute + TimeSpan.FromSeconds(10));
        var nextLook = await rollout.TickAsync(Start + (2 * Minute));

        Assert.Equal("Analysis 'fail-fast' at 5 %: 0 of 5 metric(s) complete. Next measurement at 00:02:00.", look.Reason);
        Assert.All(new[] { idle, idleAgain }, d => Assert.Equal((RolloutAction.Continue, look.Reason), (d.Action, d.Reason)));
        Assert.Same(look.State, idleAgain.State);
        Assert.NotSame(look.State, nextLook.State);
        Assert.All(nextLook.State.StepAnalysis!.Metrics, m => Assert.Equal(("2 measurement(s) so far; last: scripted Pass", 2), (m.Message, m.Successful)));
        Assert.Equal("Analysis 'fail-fast' at 5 %: 0 of 5 metric(s) complete. Next measurement at 00:03:00.", nextLook.Reason);
    }

    [Fact]
    public async Task NothingDue_AllocatesOnlyItsResult()
    {
        var rollout = Rollout();
        await rollout.TickAsync(Start);
        await rollout.TickAsync(Start + Minute);
        var idle = Start + Minute + TimeSpan.FromSeconds(5);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(rollout.TickAsync(idle).IsCompletedSuccessfully);
        }

        const int ticks = 1_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < ticks; i++)
        {
            await rollout.TickAsync(idle);
        }

        var perTick = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)ticks;

        // The result is a completed Task<RolloutDecision> and the decision (about 200 bytes on x64 since decisions carry
        // their data): measure that floor, and allow nothing beyond it.
        var decision = await rollout.TickAsync(idle);
        var floorBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < ticks; i++)
        {
            _ = Task.FromResult(new RolloutDecision { Action = decision.Action, Cause = decision.Cause, State = decision.State });
        }

        var floor = (GC.GetAllocatedBytesForCurrentThread() - floorBefore) / (double)ticks;
        Assert.True(perTick <= floor, $"{perTick} bytes per tick with nothing due; the result alone takes {floor}");
        Assert.True(perTick <= 256, $"{perTick} bytes per tick with nothing due");
    }
}
