using System.Text.Json.Nodes;
using Canary.Analysis.Policies;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Simulation;

/// <summary>
/// Drives analysis runs — or any per-tick callback, such as a rollout policy — over virtual time, and records a
/// timeline. Nothing waits on a real clock: a 24-hour run takes as long as its measurements take to compute.
/// </summary>
/// <remarks>
/// The simulator passes virtual times to <see cref="AnalysisRun.TickAsync"/> directly. To drive a run with a
/// <see cref="TimeProvider"/> instead (e.g. <c>FakeTimeProvider</c> with <see cref="AnalysisRun.RunAsync"/>), use a
/// <see cref="SimulatedTrafficSource"/> the same way: it reads no clock, only the times in its queries.
/// </remarks>
public static class Simulator
{
    /// <summary>
    /// Runs an analysis run from its <see cref="AnalysisRun.StartedAt"/>, ticking whenever a measurement is due, until
    /// it completes or <paramref name="duration"/> has passed.
    /// </summary>
    /// <param name="run">The run (its checks read a simulated or recorded source).</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="onTick">Called after every tick with the run and the virtual time (a policy hook: it may terminate the run, change weights, …).</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The outcome: the run's final phase (Undecided when still running), the time of the decision and a timeline of every measurement.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public static Task<SimulationOutcome> RunAsync(AnalysisRun run, TimeSpan duration, Func<AnalysisRun, DateTimeOffset, CancellationToken, Task>? onTick = null, CancellationToken cancellationToken = default) =>
        RunCoreAsync(run, duration, null, onTick, cancellationToken);

    /// <summary>
    /// Runs an analysis run as <see cref="RunAsync(AnalysisRun, TimeSpan, Func{AnalysisRun, DateTimeOffset, CancellationToken, Task}?, CancellationToken)"/>
    /// does, but on a controller's real timer: every tick (the first included) comes late by <paramref name="jitter"/>'s
    /// delay for it, at tick precision, so measurements happen at random sub-interval offsets as they do in production.
    /// </summary>
    /// <param name="run">The run (its checks read a simulated or recorded source).</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="jitter">How late each tick fires.</param>
    /// <param name="onTick">Called after every tick with the run and the virtual time.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The outcome, as for the run without jitter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> or <paramref name="jitter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public static Task<SimulationOutcome> RunAsync(AnalysisRun run, TimeSpan duration, TickJitter jitter, Func<AnalysisRun, DateTimeOffset, CancellationToken, Task>? onTick = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        return RunCoreAsync(run, duration, jitter, onTick, cancellationToken);
    }

    private static async Task<SimulationOutcome> RunCoreAsync(AnalysisRun run, TimeSpan duration, TickJitter? jitter, Func<AnalysisRun, DateTimeOffset, CancellationToken, Task>? onTick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var start = run.StartedAt;
        var end = start + duration;
        var timeline = new List<SimulationEvent>();
        var seen = new int[run.Metrics.Count];
        long ticks = 0;
        var now = start + Delay(jitter, ticks++);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await run.TickAsync(now, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < run.Metrics.Count; i++)
            {
                var metric = run.Metrics[i];
                var taken = metric.Count + metric.Errors;
                if (taken != seen[i] && metric.Last is { } last)
                {
                    timeline.Add(new SimulationEvent(last.FinishedAt, metric.Name, last.Phase, last.Value, last.Reason));
                }

                seen[i] = taken;
            }

            if (onTick is not null)
            {
                await onTick(run, now, cancellationToken).ConfigureAwait(false);
            }

            if (run.IsCompleted)
            {
                return new SimulationOutcome(KindOf(run.Phase), start, now, run.Message, timeline.AsReadOnly());
            }

            if (run.NextMeasurementAt is not { } next || next > end)
            {
                return new SimulationOutcome(SimulationOutcomeKind.Undecided, start, end, $"No decision within {duration}: {run.Message}", timeline.AsReadOnly());
            }

            now = (next > now ? next : now + TimeSpan.FromTicks(1)) + Delay(jitter, ticks++);
        }
    }

    private static TimeSpan Delay(TickJitter? jitter, long tick) => jitter?.DelayOf(tick) ?? TimeSpan.Zero;

    /// <summary>
    /// Calls <paramref name="tick"/> every <paramref name="interval"/> from <c>start + interval</c> until it decides or
    /// <paramref name="duration"/> has passed: the generic driver a rollout policy plugs into.
    /// </summary>
    /// <param name="start">The virtual start time.</param>
    /// <param name="interval">The time between ticks.</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="tick">Observes and decides at a virtual time.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The first decision, or Undecided at the end, with every event the ticks reported.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tick"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive or <paramref name="duration"/> is negative.</exception>
    public static Task<SimulationOutcome> RunAsync(DateTimeOffset start, TimeSpan interval, TimeSpan duration, Func<DateTimeOffset, CancellationToken, Task<SimulationStep>> tick, CancellationToken cancellationToken = default) =>
        RunCoreAsync(start, interval, duration, null, tick, cancellationToken);

    /// <summary>
    /// Calls <paramref name="tick"/> as <see cref="RunAsync(DateTimeOffset, TimeSpan, TimeSpan, Func{DateTimeOffset, CancellationToken, Task{SimulationStep}}, CancellationToken)"/>
    /// does, but on a controller's real timer: the k-th tick is due at <c>start + k × interval</c> and fires
    /// <paramref name="jitter"/>'s delay later, at tick precision (delays do not accumulate).
    /// </summary>
    /// <param name="start">The virtual start time.</param>
    /// <param name="interval">The time between due times.</param>
    /// <param name="duration">The longest virtual time to simulate (ticks due after it do not fire).</param>
    /// <param name="jitter">How late each tick fires.</param>
    /// <param name="tick">Observes and decides at a virtual time.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The first decision, or Undecided at the end, with every event the ticks reported.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jitter"/> or <paramref name="tick"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive or <paramref name="duration"/> is negative.</exception>
    public static Task<SimulationOutcome> RunAsync(DateTimeOffset start, TimeSpan interval, TimeSpan duration, TickJitter jitter, Func<DateTimeOffset, CancellationToken, Task<SimulationStep>> tick, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        return RunCoreAsync(start, interval, duration, jitter, tick, cancellationToken);
    }

    private static async Task<SimulationOutcome> RunCoreAsync(DateTimeOffset start, TimeSpan interval, TimeSpan duration, TickJitter? jitter, Func<DateTimeOffset, CancellationToken, Task<SimulationStep>> tick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var timeline = new List<SimulationEvent>();
        var end = start + duration;
        long k = 1;
        for (var due = start + interval; due <= end; due = start + TimeSpan.FromTicks(interval.Ticks * ++k))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = due + Delay(jitter, k);
            var step = await tick(now, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The simulation callback returned null at {now:O}.");
            timeline.AddRange(step.Events);
            if (step.Outcome != SimulationOutcomeKind.Undecided)
            {
                return new SimulationOutcome(step.Outcome, start, now, step.Reason, timeline.AsReadOnly());
            }
        }

        return new SimulationOutcome(SimulationOutcomeKind.Undecided, start, end, $"No decision within {duration}.", timeline.AsReadOnly());
    }

    /// <summary>
    /// Runs a rollout against simulated traffic the way a controller would: a tick every <paramref name="interval"/>
    /// from the rollout's start, ticking again at once after each Advance (a step starts the moment the previous one
    /// ends), with the canary's share of the simulated traffic following the rollout's weight. Rollback is Failed,
    /// promotion Succeeded, a pause for a human Inconclusive.
    /// </summary>
    /// <param name="rollout">The rollout (its policy's checks should read <paramref name="source"/>).</param>
    /// <param name="source">The simulated traffic.</param>
    /// <param name="interval">The time between ticks.</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The first decision, or Undecided at the end.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Task<SimulationOutcome> RunRolloutAsync(CanaryRollout rollout, SimulatedTrafficSource source, TimeSpan interval, TimeSpan duration, CancellationToken cancellationToken = default) =>
        RunRolloutCoreAsync(rollout, source, interval, duration, null, cancellationToken);

    /// <summary>
    /// Runs a rollout as <see cref="RunRolloutAsync(CanaryRollout, SimulatedTrafficSource, TimeSpan, TimeSpan, CancellationToken)"/>
    /// does, but on a controller's real timer: each tick after the start fires <paramref name="jitter"/>'s delay after it
    /// is due, at tick precision, so every look's window has an arbitrary length, as in production.
    /// </summary>
    /// <param name="rollout">The rollout (its policy's checks should read <paramref name="source"/>).</param>
    /// <param name="source">The simulated traffic.</param>
    /// <param name="interval">The time between due ticks.</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="jitter">How late each tick fires.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The first decision, or Undecided at the end.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Task<SimulationOutcome> RunRolloutAsync(CanaryRollout rollout, SimulatedTrafficSource source, TimeSpan interval, TimeSpan duration, TickJitter jitter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        return RunRolloutCoreAsync(rollout, source, interval, duration, jitter, cancellationToken);
    }

    /// <summary>
    /// Runs a rollout as <see cref="RunRolloutAsync(CanaryRollout, SimulatedTrafficSource, TimeSpan, TimeSpan, TickJitter, CancellationToken)"/>
    /// does, on a controller that restarts: before the first tick at or after each restart's due time
    /// (<see cref="RolloutRestarts.DueAfter"/>), the rollout's state goes through <see cref="RolloutState.ToJson"/> and
    /// <see cref="RolloutState.FromJson"/>, a new policy is built by <see cref="RolloutRestarts.PolicyFactory"/> and
    /// <see cref="CanaryRollout.Resume"/> continues from the saved state.
    /// </summary>
    /// <param name="rollout">The rollout as first started (its policy's checks should read <paramref name="source"/>).</param>
    /// <param name="source">The simulated traffic.</param>
    /// <param name="interval">The time between due ticks.</param>
    /// <param name="duration">The longest virtual time to simulate.</param>
    /// <param name="jitter">How late each tick fires, or null for ticks on virtual whole intervals.</param>
    /// <param name="restarts">When the controller restarts and what it resumes with.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>The first decision, or Undecided at the end.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rollout"/>, <paramref name="source"/> or <paramref name="restarts"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The factory returned null.</exception>
    /// <exception cref="ArgumentException">The new policy refuses the saved state (see <see cref="CanaryRollout.Resume"/>).</exception>
    public static Task<SimulationOutcome> RunRolloutAsync(CanaryRollout rollout, SimulatedTrafficSource source, TimeSpan interval, TimeSpan duration, TickJitter? jitter, RolloutRestarts restarts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(restarts);
        return RunRolloutCoreAsync(rollout, source, interval, duration, jitter, cancellationToken, restarts);
    }

    private static async Task<SimulationOutcome> RunRolloutCoreAsync(CanaryRollout rollout, SimulatedTrafficSource source, TimeSpan interval, TimeSpan duration, TickJitter? jitter, CancellationToken cancellationToken, RolloutRestarts? restarts = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(source);
        var weight = -1;
        long restart = 1;

        // The canary's share follows each decision's weight at once, before the next step measures at the same time.
        Task<RolloutDecision> SettleAsync(DateTimeOffset now, CancellationToken token) =>
            rollout.TickUntilSettledAsync(now, decision =>
            {
                if (decision.Weight != weight)
                {
                    weight = decision.Weight;
                    source.SetCanaryWeight(now, weight / 100.0);
                }
            }, token);

        var start = rollout.State.StartedAt;
        _ = await SettleAsync(start, cancellationToken).ConfigureAwait(false);
        return await RunCoreAsync(start, interval, duration, jitter, async (now, token) =>
        {
            while (restarts is not null && now >= start + restarts.DueAfter(restart))
            {
                rollout = Restart(rollout, source, restarts);
                restart++;
            }

            var decision = await SettleAsync(now, token).ConfigureAwait(false);
            return decision.Action switch
            {
                RolloutAction.Rollback => SimulationStep.Decide(SimulationOutcomeKind.Failed, decision.Reason),
                RolloutAction.Promote => SimulationStep.Decide(SimulationOutcomeKind.Succeeded, decision.Reason),
                RolloutAction.Pause => SimulationStep.Decide(SimulationOutcomeKind.Inconclusive, decision.Reason),
                _ => SimulationStep.Continue(),
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a restarted controller does: save the state, build a new policy, resume.</summary>
    private static CanaryRollout Restart(CanaryRollout rollout, SimulatedTrafficSource source, RolloutRestarts restarts)
    {
        var json = rollout.State.ToJson();
        if (!restarts.CarryCheckEvidence)
        {
            var node = JsonNode.Parse(json) ?? throw new InvalidOperationException("The rollout's state saved as JSON null.");
            ClearCheckEvidence(node);
            json = node.ToJsonString();
        }

        var policy = restarts.PolicyFactory(source) ?? throw new InvalidOperationException("The restart's policy factory returned null.");
        return CanaryRollout.Resume(policy, RolloutState.FromJson(json));
    }

    private static void ClearCheckEvidence(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey("checkEvidence"))
                {
                    obj["checkEvidence"] = null;
                }

                foreach (var (_, child) in obj)
                {
                    ClearCheckEvidence(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    ClearCheckEvidence(child);
                }

                break;
        }
    }

    /// <summary>Maps an analysis phase to an outcome.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>The outcome kind (Pending and Running are Undecided).</returns>
    public static SimulationOutcomeKind KindOf(AnalysisPhase phase) => phase switch
    {
        AnalysisPhase.Successful => SimulationOutcomeKind.Succeeded,
        AnalysisPhase.Failed => SimulationOutcomeKind.Failed,
        AnalysisPhase.Inconclusive => SimulationOutcomeKind.Inconclusive,
        AnalysisPhase.Error => SimulationOutcomeKind.Error,
        _ => SimulationOutcomeKind.Undecided,
    };
}
