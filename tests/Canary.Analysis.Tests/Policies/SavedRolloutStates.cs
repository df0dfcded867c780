using Canary.Analysis.Analysis;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Policies;

/// <summary>
/// A state saved at some point of a real rollout, with the time it was saved and how to rebuild its policy; <paramref name="Live"/>
/// is the value the rollout held (never read back).
/// </summary>
internal sealed record SavedRolloutState(string Name, string Json, DateTimeOffset SavedAt, Func<CanaryPolicy> Policy, RolloutState Live)
{
    public RolloutState State => RolloutState.FromJson(Json);
}

/// <summary>Rollouts of one policy (every kind of step, two step analyses, background analysis), saved at telling points.</summary>
internal static class SavedRolloutStates
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>
    /// 0 weight 5 · 1 analysis "canary" (success-rate ×3, latency ×2) · 2 weight 20 · 3 pause for a human · 4 weight 50 ·
    /// 5 pause 10 min · 6 analysis "soak" (×2, the last step); background analysis every 5 minutes from step 2.
    /// </summary>
    public static CanaryPolicy Policy(string canary = "P", string soak = "P", string background = "P") => new(
        "corruption",
        [
            CanaryStep.SetWeight(5),
            CanaryStep.Analysis("canary", Metric("success-rate", canary, 3), Metric("latency", "P", 2)),
            CanaryStep.SetWeight(20),
            CanaryStep.PauseUntilResumed(),
            CanaryStep.SetWeight(50),
            CanaryStep.Pause(TimeSpan.FromMinutes(10)),
            CanaryStep.Analysis("soak", Metric("soak-rate", soak, 2)),
        ],
        [new AnalysisMetric { Name = "bg", Check = new ScriptedCheck(background), Interval = TimeSpan.FromMinutes(5) }],
        backgroundFromStep: 2);

    public static AnalysisMetric Metric(string name, string script, int count) =>
        new() { Name = name, Check = new ScriptedCheck(script), Interval = Minute, Count = count };

    /// <summary>Runs rollouts and saves their state at the points named; every state is one the rollout really reached.</summary>
    public static async Task<IReadOnlyList<SavedRolloutState>> CaptureAsync()
    {
        var saved = new List<SavedRolloutState>();

        // A healthy rollout, saved along the way.
        var policy = Policy();
        var rollout = new CanaryRollout(policy, Start);
        Save("start", rollout, Start, () => Policy());
        var t = await TickUntil(rollout, Start, (r, _) => r.State.StepAnalysis?.Metrics[0].Successful == 2);
        Save("mid-analysis", rollout, t, () => Policy());
        t = await TickUntil(rollout, t, (r, _) => r.State.Status == RolloutStatus.Paused);
        Save("paused-for-human", rollout, t, () => Policy());
        rollout.Apply(ManualAction.Resume, "alice", "dashboards look fine", t);
        t = await TickUntil(rollout, t, (r, now) => r.State.StepIndex == 5 && now >= r.State.StepStartedAt + TimeSpan.FromMinutes(4));
        Save("mid-pause", rollout, t, () => Policy());
        t = await TickUntil(rollout, t, (r, _) => r.State.StepIndex == 6 && r.State.StepAnalysis?.Metrics[0].Successful == 1);
        Save("mid-last-analysis", rollout, t, () => Policy());
        t = await TickUntil(rollout, t, (r, _) => r.State.Status == RolloutStatus.Promoted);
        Save("promoted", rollout, t, () => Policy());

        // Analysis skipped for an urgent fix, mid-analysis; then on to the human pause; then aborted by a human.
        var skipped = new CanaryRollout(Policy(), Start);
        t = await TickUntil(skipped, Start, (r, _) => r.State.StepAnalysis?.Metrics[0].Successful == 1);
        skipped.Apply(ManualAction.SkipAnalysis, "bob", "hotfix for INC-42", t);
        Save("skipped", skipped, t, () => Policy());
        t = await TickUntil(skipped, t, (r, _) => r.State.Status == RolloutStatus.Paused);
        Save("skipped-paused", skipped, t, () => Policy());
        skipped.Apply(ManualAction.Abort, "bob", "wrong build", t);
        Save("skipped-aborted", skipped, t, () => Policy());
        skipped.Apply(ManualAction.Retry, "bob", "right build", t + Minute);
        Save("skipped-aborted-retried", skipped, t + Minute, () => Policy());

        // The analysis fails; is inconclusive; a human promotes mid-analysis.
        var failing = new CanaryRollout(Policy(canary: "PF"), Start);
        t = await TickUntil(failing, Start, (r, _) => r.State.Status == RolloutStatus.Aborted);
        Save("aborted-by-analysis", failing, t, () => Policy(canary: "PF"));

        var quiet = new CanaryRollout(Policy(canary: "PI"), Start);
        t = await TickUntil(quiet, Start, (r, _) => r.State.Status == RolloutStatus.Paused);
        Save("paused-inconclusive", quiet, t, () => Policy(canary: "PI"));

        var urgent = new CanaryRollout(Policy(), Start);
        t = await TickUntil(urgent, Start, (r, _) => r.State.StepAnalysis?.Metrics[0].Successful == 1);
        urgent.Apply(ManualAction.Promote, "carol", "customer waiting", t);
        Save("promoted-by-human", urgent, t, () => Policy());

        return saved;

        void Save(string name, CanaryRollout r, DateTimeOffset at, Func<CanaryPolicy> rebuild) =>
            saved.Add(new SavedRolloutState(name, r.State.ToJson(), at, rebuild, r.State));
    }

    /// <summary>Ticks once a minute from <paramref name="from"/> until <paramref name="done"/> holds; returns the time of the last tick.</summary>
    private static async Task<DateTimeOffset> TickUntil(CanaryRollout rollout, DateTimeOffset from, Func<CanaryRollout, DateTimeOffset, bool> done)
    {
        for (var t = from; t < from + TimeSpan.FromHours(3); t += Minute)
        {
            await rollout.TickAsync(t);
            if (done(rollout, t))
            {
                return t;
            }
        }

        throw new InvalidOperationException($"The rollout never reached the point wanted; it is {rollout.State.Status} at step {rollout.State.StepIndex}: {rollout.State.Message}");
    }
}
