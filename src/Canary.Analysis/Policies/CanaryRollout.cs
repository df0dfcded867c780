using System.Globalization;
using Canary.Analysis.Analysis;
using Canary.Analysis.Policies.Internal;

namespace Canary.Analysis.Policies;

/// <summary>
/// Runs a <see cref="CanaryPolicy"/>: every tick answers <em>what now?</em> — continue, advance, promote, roll back
/// or pause — with a reason and the evidence, and takes human commands (promote, skip analysis, abort, retry,
/// resume), which are recorded with who and why and shown in every later decision.
/// </summary>
/// <remarks>
/// The decision depends only on the state, the measurements the policy's checks take and the time passed in; the
/// state is a plain value (<see cref="RolloutState.ToJson"/>) from which <see cref="Resume"/> continues after a
/// restart. One step completes per tick, except that completing the last step promotes at once.
/// </remarks>
public sealed class CanaryRollout
{
    private AnalysisRun? _stepRun;
    private AnalysisRun? _backgroundRun;

    // Reused while the runs are the same: a decision's list of metrics (the runs' metric lists never change) ...
    private IReadOnlyList<MetricRunStatus>? _analyses;
    private (AnalysisRun? Step, AnalysisRun? Background) _analysesOf;

    // ... and the "continue" reason, while what it is formatted from is the same (most ticks change nothing).
    private string? _continueReason;
    private (AnalysisRun? Run, string? Message, DateTime? Next, int Weight, CultureInfo? Culture) _continueReasonOf;

    /// <summary>Starts a rollout of a policy at <paramref name="now"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="now">The start time.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public CanaryRollout(CanaryPolicy policy, DateTimeOffset now)
        : this(policy, RolloutState.Start(policy, now))
    {
    }

    private CanaryRollout(CanaryPolicy policy, RolloutState state)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        State = state;
    }

    /// <summary>Gets the policy.</summary>
    public CanaryPolicy Policy { get; }

    /// <summary>Gets the current state (save it after every decision or command).</summary>
    public RolloutState State { get; private set; }

    /// <summary>Continues a rollout from a saved state.</summary>
    /// <param name="policy">The same policy (matched by name).</param>
    /// <param name="state">The saved state.</param>
    /// <returns>The rollout.</returns>
    /// <exception cref="ArgumentException">
    /// The state belongs to another policy, has another format version, or is not a state this policy's rollout could have
    /// reached (step, weight, status, overrides, analysis progress, times); the message names the field's JSON path and value.
    /// A state that does not fit is refused, never obeyed.
    /// </exception>
    public static CanaryRollout Resume(CanaryPolicy policy, RolloutState state)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(state);
        RolloutStateValidator.Validate(policy, state);
        var rollout = new CanaryRollout(policy, state);
        if (state.StepAnalysis is { } step && state.StepIndex < policy.Steps.Count && policy.Steps[state.StepIndex].Kind == CanaryStepKind.Analysis)
        {
            rollout._stepRun = AnalysisRun.Restore(policy.Steps[state.StepIndex].Metrics, step);
        }

        if (state.BackgroundAnalysis is { } background)
        {
            rollout._backgroundRun = AnalysisRun.Restore(policy.BackgroundAnalysis, background);
        }

        return rollout;
    }

    /// <summary>Decides what to do at <paramref name="now"/>, taking the measurements that are due.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the measurements.</param>
    /// <returns>The decision; its <see cref="RolloutDecision.State"/> is also <see cref="State"/>.</returns>
    /// <exception cref="InvalidOperationException">The rollout is progressing past its last step (an internal invariant broke); it is never promoted on that.</exception>
    public async Task<RolloutDecision> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        switch (State.Status)
        {
            case RolloutStatus.Aborted:
                return Decide(RolloutAction.Rollback, State.Message);
            case RolloutStatus.Promoted:
                return Decide(RolloutAction.Promote, State.Message);
        }

        if (await TickBackgroundAsync(now, cancellationToken).ConfigureAwait(false) is { } backgroundDecision)
        {
            return backgroundDecision;
        }

        if (State.Status == RolloutStatus.Paused)
        {
            return Decide(RolloutAction.Pause, State.Message);
        }

        if (State.StepIndex >= Policy.Steps.Count)
        {
            // Unreachable: Advance promotes on the last step and Resume refuses a progressing state past the end.
            // Should that invariant ever break, a step index is no evidence: never promote on it.
            throw new InvalidOperationException($"Rollout of policy '{Policy.Name}' is progressing past its last step ({State.StepIndex} of {Policy.Steps.Count}); refusing to promote without the steps' evidence.");
        }

        var step = Policy.Steps[State.StepIndex];
        switch (step.Kind)
        {
            case CanaryStepKind.SetWeight:
                State = State with { Weight = step.Weight };
                return Advance(now, $"Weight set to {step.Weight} %.");

            case CanaryStepKind.Pause when step.Duration is null:
                State = State with { Status = RolloutStatus.Paused, Message = $"Step {State.StepIndex + 1}: paused until a human resumes or promotes." };
                return Decide(RolloutAction.Pause, State.Message);

            case CanaryStepKind.Pause:
                var left = State.StepStartedAt + step.Duration!.Value - now;
                return left <= TimeSpan.Zero
                    ? Advance(now, $"Paused {step.Duration} as planned.")
                    : Decide(RolloutAction.Continue, $"Step {State.StepIndex + 1}: pausing, {left} left.");

            default:
                return await TickAnalysisAsync(step, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies a human command and records it (who, why, when).</summary>
    /// <param name="action">The command.</param>
    /// <param name="by">Who gives it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">When.</param>
    /// <returns>The decision that follows from the command.</returns>
    /// <exception cref="ArgumentException"><paramref name="by"/> or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The command does not apply in the current status (e.g. retry a rollout that was not aborted).</exception>
    public RolloutDecision Apply(ManualAction action, string by, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var record = new ManualOverride { Action = action, By = by, Reason = reason, At = now, AtStep = State.StepIndex };
        RequireStatus(action);
        State = State with { Overrides = [.. State.Overrides, record] };
        switch (action)
        {
            case ManualAction.Promote:
                return Promote(now, $"Promoted by {by}: {reason}");
            case ManualAction.Abort:
                return Abort($"Aborted by {by}: {reason}");
            case ManualAction.SkipAnalysis:
                _stepRun?.Terminate($"analysis skipped by {by}");
                _backgroundRun?.Terminate($"analysis skipped by {by}");
                (_stepRun, _backgroundRun) = (null, null);
                State = State with { AnalysisSkipped = true, StepAnalysis = null, BackgroundAnalysis = null, Message = $"Analysis skipped by {by}: {reason}" };
                return Decide(RolloutAction.Continue, State.Message, reasonNamesSkip: true);
            case ManualAction.Retry:
                // A retry starts a fully analysed rollout: earlier skips no longer apply (they stay in the record).
                (_stepRun, _backgroundRun) = (null, null);
                State = State with
                {
                    Status = RolloutStatus.Progressing,
                    StepIndex = 0,
                    StepStartedAt = now,
                    Weight = 0,
                    AnalysisSkipped = false,
                    StepAnalysis = null,
                    BackgroundAnalysis = null,
                    Message = $"Retried by {by}: {reason}",
                };
                return Decide(RolloutAction.Continue, State.Message);
            default:
                // Resume completes the current step; a weight step paused by background analysis before it ran still sets its weight.
                var current = Policy.Steps[State.StepIndex];
                State = State with { Status = RolloutStatus.Progressing, Weight = current.Kind == CanaryStepKind.SetWeight ? current.Weight : State.Weight };
                return Advance(now, $"Resumed by {by}: {reason}");
        }
    }

    private void RequireStatus(ManualAction action)
    {
        var ok = action switch
        {
            ManualAction.Retry => State.Status == RolloutStatus.Aborted,
            ManualAction.Resume => State.Status == RolloutStatus.Paused,
            _ => State.Status is RolloutStatus.Progressing or RolloutStatus.Paused,
        };
        if (!ok)
        {
            throw new InvalidOperationException($"Cannot {action} a rollout that is {State.Status}.");
        }
    }

    private async ValueTask<RolloutDecision?> TickBackgroundAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Policy.BackgroundAnalysis.Count == 0 || State.AnalysisSkipped || State.StepIndex < Policy.BackgroundFromStep || State.Status == RolloutStatus.Paused)
        {
            return null;
        }

        _backgroundRun ??= new AnalysisRun(Policy.BackgroundAnalysis, now, background: true);
        var phase = await _backgroundRun.TickAsync(now, cancellationToken).ConfigureAwait(false);
        if (State.BackgroundAnalysis is not { } saved || !_backgroundRun.IsDescribedBy(saved))
        {
            State = State with { BackgroundAnalysis = _backgroundRun.Snapshot() };
        }

        return phase switch
        {
            AnalysisPhase.Failed or AnalysisPhase.Error => Abort($"Background analysis {phase.ToString().ToLowerInvariant()}: {_backgroundRun.Message}"),
            AnalysisPhase.Inconclusive => PauseForHuman($"Background analysis inconclusive: {_backgroundRun.Message}"),
            _ => null,
        };
    }

    private async ValueTask<RolloutDecision> TickAnalysisAsync(CanaryStep step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ActiveSkip() is { } skip)
        {
            return Advance(now, $"Analysis '{step.Name}' skipped ({skip.By}: {skip.Reason}).", reasonNamesSkip: true);
        }

        _stepRun ??= new AnalysisRun(step.Metrics, State.StepStartedAt);
        var phase = await _stepRun.TickAsync(now, cancellationToken).ConfigureAwait(false);
        if (State.StepAnalysis is not { } saved || !_stepRun.IsDescribedBy(saved))
        {
            // Only a changed run needs a new snapshot and state; an unchanged state is the same value, kept.
            State = State with { StepAnalysis = _stepRun.Snapshot() };
        }

        return phase switch
        {
            AnalysisPhase.Successful => Advance(now, $"{Label(step)} successful: {_stepRun.Message}"),
            AnalysisPhase.Failed or AnalysisPhase.Error => Abort($"{Label(step)} {phase.ToString().ToLowerInvariant()}: {_stepRun.Message}"),
            AnalysisPhase.Inconclusive when step.FailFast && LaterStepMustPass() =>
                Advance(now, $"{Label(step)} inconclusive, no regression seen: {_stepRun.Message} Fail-fast step: advancing; a later analysis must still pass."),
            AnalysisPhase.Inconclusive => PauseForHuman($"{Label(step)} inconclusive: {_stepRun.Message}"),
            _ => Decide(RolloutAction.Continue, ContinueReason(step, _stepRun)),
        };
    }

    private string Label(CanaryStep step) => $"Analysis '{step.Name}' at {State.Weight} %";

    private string ContinueReason(CanaryStep step, AnalysisRun run)
    {
        var next = run.NextMeasurementAt;

        // Everything the text is formatted from; the clock time (DateTime) is what HH:mm:ss shows, whatever the offset.
        var of = (run, run.Message, next?.DateTime, State.Weight, CultureInfo.CurrentCulture);
        if (_continueReason is null || _continueReasonOf != of)
        {
            _continueReason = $"{Label(step)}: {run.Message}{(next is { } n ? $" Next measurement at {n:HH:mm:ss}." : string.Empty)}";
            _continueReasonOf = of;
        }

        return _continueReason;
    }

    private bool LaterStepMustPass() =>
        Policy.Steps.Skip(State.StepIndex + 1).Any(s => s.Kind == CanaryStepKind.Analysis && !s.FailFast);

    private RolloutDecision Advance(DateTimeOffset now, string reason, bool reasonNamesSkip = false)
    {
        _stepRun = null;
        State = State with { StepIndex = State.StepIndex + 1, StepStartedAt = now, StepAnalysis = null, Message = reason };
        return State.StepIndex >= Policy.Steps.Count
            ? Promote(now, $"{reason} Every step completed.", reasonNamesSkip)
            : Decide(RolloutAction.Advance, reason, reasonNamesSkip);
    }

    private RolloutDecision Promote(DateTimeOffset now, string reason, bool reasonNamesSkip = false)
    {
        _stepRun?.Terminate("promoted");
        _backgroundRun?.Terminate("promoted");
        State = State with
        {
            Status = RolloutStatus.Promoted,
            Weight = 100,
            StepIndex = Policy.Steps.Count,
            StepStartedAt = now,
            BackgroundAnalysis = _backgroundRun?.Snapshot() ?? State.BackgroundAnalysis,
            Message = reason,
        };
        return Decide(RolloutAction.Promote, reason, reasonNamesSkip);
    }

    private RolloutDecision Abort(string reason)
    {
        _stepRun?.Terminate("aborted");
        _backgroundRun?.Terminate("aborted");
        State = State with { Status = RolloutStatus.Aborted, Weight = 0, Message = reason };
        return Decide(RolloutAction.Rollback, reason);
    }

    private RolloutDecision PauseForHuman(string reason)
    {
        State = State with { Status = RolloutStatus.Paused, Message = reason };
        return Decide(RolloutAction.Pause, reason);
    }

    /// <summary>Returns the SkipAnalysis command in force: the last one since the last retry, or null.</summary>
    /// <returns>The command, or null when analysis is not skipped.</returns>
    private ManualOverride? ActiveSkip()
    {
        if (!State.AnalysisSkipped)
        {
            return null;
        }

        var overrides = State.Overrides;
        for (var i = overrides.Count - 1; i >= 0 && overrides[i].Action != ManualAction.Retry; i--)
        {
            if (overrides[i].Action == ManualAction.SkipAnalysis)
            {
                return overrides[i];
            }
        }

        // Resume refuses such a state; a rollout in memory cannot reach it.
        throw new InvalidOperationException("Analysis is marked skipped, but no SkipAnalysis command since the last retry is recorded.");
    }

    /// <summary>Makes the decision from the current state, naming a skip of analysis when one is in force.</summary>
    /// <param name="action">What to do.</param>
    /// <param name="reason">Why.</param>
    /// <param name="reasonNamesSkip">Whether the reason already says who skipped analysis (else it is appended while skipped).</param>
    private RolloutDecision Decide(RolloutAction action, string reason, bool reasonNamesSkip = false)
    {
        var skipped = !reasonNamesSkip && ActiveSkip() is { } skip ? $" [analysis skipped by {skip.By}]" : string.Empty;
        if (_analyses is null || _analysesOf != (_stepRun, _backgroundRun))
        {
            _analyses = [.. _stepRun?.Metrics ?? [], .. _backgroundRun?.Metrics ?? []];
            _analysesOf = (_stepRun, _backgroundRun);
        }

        return new RolloutDecision(action, State.Weight, reason + skipped, State, _analyses);
    }
}
