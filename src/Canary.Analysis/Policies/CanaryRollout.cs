using Canary.Analysis.Analysis;
using Canary.Analysis.Policies.Events;
using Canary.Analysis.Policies.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
/// <para>
/// It publishes what happened as events (<see cref="RolloutEvent"/>, derived by <see cref="RolloutEvents.Between"/>) to its
/// subscribers, after each decision and before it is returned; <see cref="IObserver{T}.OnCompleted"/> follows the promotion
/// or rollback (a subscriber that should also see a retry subscribes again). A subscriber that throws changes nothing: the
/// exception is logged (<see cref="Logger"/>) and the others still get the event. After <see cref="Resume"/> events continue
/// (no second <see cref="RolloutStarted"/>).
/// </para>
/// </remarks>
public sealed class CanaryRollout : IObservable<RolloutEvent>
{
    private readonly object _subscribersLock = new();
    private IObserver<RolloutEvent>[] _subscribers = [];
    private DateTimeOffset? _lastEventAt;

    private AnalysisRun? _stepRun;
    private AnalysisRun? _backgroundRun;

    // Reused while what they are made of is the same (most ticks change nothing): a decision's list of metrics ...
    private IReadOnlyList<MetricRunStatus>? _analyses;
    private (AnalysisRunState? Step, AnalysisRunState? Background) _analysesOf;

    // ... and the pod split at the current weight.
    private ReplicaSplit? _split;

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

    /// <summary>Gets the current state (save it after every decision or command); a new value exactly when something changed.</summary>
    public RolloutState State { get; private set; }

    /// <summary>Gets or sets where the rollout reports subscribers that throw (never the decision's business: it goes on).</summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>.</value>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>
    /// Gets or sets how often a <see cref="RolloutHeartbeat"/> is published while a step runs (a soak, a pause) with nothing
    /// else to report; <see cref="TimeSpan.Zero"/> for none.
    /// </summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Subscribes to the rollout's events.</summary>
    /// <param name="observer">The subscriber.</param>
    /// <returns>Disposing it unsubscribes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    public IDisposable Subscribe(IObserver<RolloutEvent> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, observer];
        }

        return new Subscription(this, observer);
    }

    /// <summary>Continues a rollout from a saved state.</summary>
    /// <param name="policy">The same policy (matched by name).</param>
    /// <param name="state">The saved state.</param>
    /// <returns>The rollout; checks that keep evidence (<see cref="IResumableCheck"/>) have their saved evidence back.</returns>
    /// <exception cref="ArgumentException">
    /// The state belongs to another policy, has another format version, is not a state this policy's rollout could have
    /// reached (step, weight, status, overrides, analysis progress, times), or a check refuses its saved evidence; the
    /// message names the field's JSON path and value. A state that does not fit is refused, never obeyed.
    /// </exception>
    public static CanaryRollout Resume(CanaryPolicy policy, RolloutState state)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(state);
        RolloutStateValidator.Validate(policy, state);
        var rollout = new CanaryRollout(policy, state);
        if (state.StepAnalysis is { } step && state.StepIndex < policy.Steps.Count && policy.Steps[state.StepIndex].Kind == CanaryStepKind.Analysis)
        {
            rollout._stepRun = Restore(policy, "$.stepAnalysis", policy.Steps[state.StepIndex].Metrics, step);
        }

        if (state.BackgroundAnalysis is { } background)
        {
            rollout._backgroundRun = Restore(policy, "$.backgroundAnalysis", policy.BackgroundAnalysis, background);
        }

        return rollout;
    }

    /// <summary>Decides what to do at <paramref name="now"/>, taking the measurements that are due.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the measurements.</param>
    /// <returns>The decision; its <see cref="RolloutDecision.State"/> is also <see cref="State"/>.</returns>
    /// <exception cref="InvalidOperationException">The rollout is progressing past its last step (an internal invariant broke); it is never promoted on that.</exception>
    public Task<RolloutDecision> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var before = State;
        var tick = DecideAsync(now, cancellationToken);
        if (tick.IsCompletedSuccessfully)
        {
            Publish(before, tick.Result);
            return tick;
        }

        return PublishWhenDecidedAsync(before, tick);
    }

    /// <summary>
    /// Ticks at <paramref name="now"/> until the rollout settles: after an advance the next step starts at once (a
    /// controller requeues immediately), so a weight step or a completed analysis does not cost a tick interval.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="onDecision">Called after every decision, the advances included (e.g. to apply each weight before the next step measures).</param>
    /// <param name="cancellationToken">Cancels the measurements.</param>
    /// <returns>The first decision that is not <see cref="RolloutAction.Advance"/>.</returns>
    public async Task<RolloutDecision> TickUntilSettledAsync(DateTimeOffset now, Action<RolloutDecision>? onDecision = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var decision = await TickAsync(now, cancellationToken).ConfigureAwait(false);
            onDecision?.Invoke(decision);
            if (decision.Action != RolloutAction.Advance)
            {
                return decision;
            }
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
        var before = State;
        var decision = ApplyCommand(action, by, reason, now);
        Publish(before, decision);
        return decision;
    }

    private async Task<RolloutDecision> PublishWhenDecidedAsync(RolloutState before, Task<RolloutDecision> tick)
    {
        var decision = await tick.ConfigureAwait(false);
        Publish(before, decision);
        return decision;
    }

    /// <summary>Publishes the decision's events to the subscribers; a subscriber that throws is logged and changes nothing.</summary>
    private void Publish(RolloutState before, RolloutDecision decision)
    {
        var subscribers = _subscribers;
        if (subscribers.Length == 0)
        {
            return;
        }

        var events = RolloutEvents.Between(Policy, before, decision, HeartbeatInterval, _lastEventAt);
        if (!events.All(e => e is ChecksMeasured))
        {
            _lastEventAt = decision.At;
        }

        var ended = decision.State.Status is RolloutStatus.Promoted or RolloutStatus.Aborted && before.Status != decision.State.Status;
        foreach (var subscriber in subscribers)
        {
            foreach (var e in events)
            {
                Deliver(subscriber, e, static (s, e) => s.OnNext(e!));
            }

            if (ended)
            {
                Deliver<RolloutEvent?>(subscriber, null, static (s, _) => s.OnCompleted());
            }
        }

        if (ended)
        {
            lock (_subscribersLock)
            {
                _subscribers = [.. _subscribers.Except(subscribers)];
            }
        }
    }

    private void Deliver<T>(IObserver<RolloutEvent> subscriber, T e, Action<IObserver<RolloutEvent>, T> deliver)
        where T : RolloutEvent?
    {
#pragma warning disable CA1031 // A subscriber's failure must never change or delay a decision: it is logged.
        try
        {
            deliver(subscriber, e);
        }
        catch (Exception ex)
        {
            RolloutPublisherLog.SubscriberFailed(Logger, ex, Policy.Name, e?.Kind.ToString() ?? "Completed", subscriber.GetType().Name);
        }
#pragma warning restore CA1031
    }

    private void Unsubscribe(IObserver<RolloutEvent> observer)
    {
        lock (_subscribersLock)
        {
            var index = Array.IndexOf(_subscribers, observer);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    private async Task<RolloutDecision> DecideAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (State.Status)
        {
            case RolloutStatus.Aborted:
                return Decide(RolloutAction.Rollback, DecisionCause.RolledBack, now);
            case RolloutStatus.Promoted:
                return Decide(RolloutAction.Promote, DecisionCause.Promoted, now);
        }

        if (await TickBackgroundAsync(now, cancellationToken).ConfigureAwait(false) is { } backgroundDecision)
        {
            return backgroundDecision;
        }

        if (State.Status == RolloutStatus.Paused)
        {
            return Decide(RolloutAction.Pause, DecisionCause.Paused, now);
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
                return Advance(now, DecisionCause.WeightSet);

            case CanaryStepKind.Pause when step.Duration is null:
                State = State with { Status = RolloutStatus.Paused };
                return Record(Decide(RolloutAction.Pause, DecisionCause.PausedUntilResumed, now));

            case CanaryStepKind.Pause:
                var end = State.StepStartedAt + step.Duration!.Value;
                return end <= now
                    ? Advance(now, DecisionCause.PauseElapsed)
                    : Decide(RolloutAction.Continue, DecisionCause.Pausing, now, next: Earliest(end, _backgroundRun?.NextMeasurementAt));

            default:
                return await TickAnalysisAsync(step, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private RolloutDecision ApplyCommand(ManualAction action, string by, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var command = new ManualOverride { Action = action, By = by, Reason = reason, At = now, AtStep = State.StepIndex };
        RequireStatus(action);
        var (stepIndex, stepWeight) = (State.StepIndex, State.Weight);
        State = State with { Overrides = [.. State.Overrides, command] };
        switch (action)
        {
            case ManualAction.Promote:
                return Promote(now, DecisionCause.ManualPromote, stepIndex, stepWeight, _stepRun?.State, command);
            case ManualAction.Abort:
                return Abort(now, DecisionCause.ManualAbort, command);
            case ManualAction.SkipAnalysis:
                _stepRun?.Terminate($"analysis skipped by {by}");
                _backgroundRun?.Terminate($"analysis skipped by {by}");
                (_stepRun, _backgroundRun) = (null, null);
                State = State with { StepAnalysis = null, BackgroundAnalysis = null };
                return Record(Decide(RolloutAction.Continue, DecisionCause.ManualSkipAnalysis, now, command: command, next: now));
            case ManualAction.Retry:
                // A retry starts a fully analysed rollout: earlier skips no longer apply (they stay in the record).
                (_stepRun, _backgroundRun) = (null, null);
                State = State with
                {
                    Status = RolloutStatus.Progressing,
                    StepIndex = 0,
                    StepStartedAt = now,
                    Weight = 0,
                    StepAnalysis = null,
                    BackgroundAnalysis = null,
                };
                return Record(Decide(RolloutAction.Continue, DecisionCause.ManualRetry, now, command: command, next: now, stepIndex: stepIndex, stepWeight: stepWeight));
            default:
                // Resume completes the current step; a weight step paused by background analysis before it ran still sets its weight.
                var current = Policy.Steps[State.StepIndex];
                State = State with { Status = RolloutStatus.Progressing, Weight = current.Kind == CanaryStepKind.SetWeight ? current.Weight : State.Weight };
                return Advance(now, DecisionCause.ManualResume, command);
        }
    }

    private static AnalysisRun Restore(CanaryPolicy policy, string path, IReadOnlyList<AnalysisMetric> metrics, AnalysisRunState state)
    {
        try
        {
            return AnalysisRun.Restore(metrics, state);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The saved state does not fit policy '{policy.Name}' ({path}): {ex.Message}", nameof(state), ex);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a <= b ? a : b;

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
        var phase = await TickRunAsync(_backgroundRun, static s => s.BackgroundAnalysis, static (s, run) => s with { BackgroundAnalysis = run }, now, cancellationToken).ConfigureAwait(false);

        return phase switch
        {
            AnalysisPhase.Failed => Abort(now, DecisionCause.BackgroundFailed),
            AnalysisPhase.Error => Abort(now, DecisionCause.BackgroundError),
            AnalysisPhase.Inconclusive => PauseForHuman(now, DecisionCause.BackgroundInconclusive),
            _ => null,
        };
    }

    private async ValueTask<RolloutDecision> TickAnalysisAsync(CanaryStep step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (State.AnalysisSkipped)
        {
            return Advance(now, DecisionCause.AnalysisSkipped);
        }

        _stepRun ??= new AnalysisRun(step.Metrics, State.StepStartedAt);
        var phase = await TickRunAsync(_stepRun, static s => s.StepAnalysis, static (s, run) => s with { StepAnalysis = run }, now, cancellationToken).ConfigureAwait(false);

        return phase switch
        {
            AnalysisPhase.Successful => Advance(now, DecisionCause.AnalysisSuccessful),
            AnalysisPhase.Failed => Abort(now, DecisionCause.AnalysisFailed),
            AnalysisPhase.Error => Abort(now, DecisionCause.AnalysisError),
            AnalysisPhase.Inconclusive when step.FailFast && LaterStepMustPass() => Advance(now, DecisionCause.FailFastInconclusive),
            AnalysisPhase.Inconclusive => PauseForHuman(now, DecisionCause.AnalysisInconclusive),
            _ => Decide(RolloutAction.Continue, DecisionCause.AnalysisRunning, now, next: Earliest(_stepRun.NextMeasurementAt, _backgroundRun?.NextMeasurementAt)),
        };
    }

    /// <summary>
    /// Ticks a run and keeps its state in the rollout's (read by <paramref name="kept"/>, written by <paramref name="keep"/>):
    /// only a changed run has a new state; an unchanged rollout state is the same value, kept.
    /// </summary>
    private async ValueTask<AnalysisPhase> TickRunAsync(
        AnalysisRun run,
        Func<RolloutState, AnalysisRunState?> kept,
        Func<RolloutState, AnalysisRunState, RolloutState> keep,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var phase = await run.TickAsync(now, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(kept(State), run.State))
        {
            State = keep(State, run.State);
        }

        return phase;
    }

    private bool LaterStepMustPass() =>
        Policy.Steps.Skip(State.StepIndex + 1).Any(s => s.Kind == CanaryStepKind.Analysis && !s.FailFast);

    /// <summary>Completes the current step (promoting after the last one); the decision keeps the completed step's analysis.</summary>
    private RolloutDecision Advance(DateTimeOffset now, DecisionCause cause, ManualOverride? command = null)
    {
        var (completed, stepWeight, analysis) = (State.StepIndex, State.Weight, _stepRun?.State);
        _stepRun = null;
        State = State with { StepIndex = State.StepIndex + 1, StepStartedAt = now, StepAnalysis = null };
        return State.StepIndex >= Policy.Steps.Count
            ? Promote(now, cause, completed, stepWeight, analysis, command)
            : Record(Decide(RolloutAction.Advance, cause, now, analysis, command, next: now, stepIndex: completed, stepWeight: stepWeight));
    }

    private RolloutDecision Promote(DateTimeOffset now, DecisionCause cause, int stepIndex, int stepWeight, AnalysisRunState? analysis, ManualOverride? command)
    {
        _stepRun?.Terminate("promoted");
        _backgroundRun?.Terminate("promoted");
        State = State with
        {
            Status = RolloutStatus.Promoted,
            Weight = 100,
            StepIndex = Policy.Steps.Count,
            StepStartedAt = now,
            BackgroundAnalysis = _backgroundRun?.State ?? State.BackgroundAnalysis,
        };
        return Record(Decide(RolloutAction.Promote, cause, now, analysis, command, stepIndex: stepIndex, stepWeight: stepWeight));
    }

    private RolloutDecision Abort(DateTimeOffset now, DecisionCause cause, ManualOverride? command = null)
    {
        var stepWeight = State.Weight;
        _stepRun?.Terminate("aborted");
        _backgroundRun?.Terminate("aborted");
        State = State with { Status = RolloutStatus.Aborted, Weight = 0 };
        return Record(Decide(RolloutAction.Rollback, cause, now, command: command, stepWeight: stepWeight));
    }

    private RolloutDecision PauseForHuman(DateTimeOffset now, DecisionCause cause)
    {
        State = State with { Status = RolloutStatus.Paused };
        return Record(Decide(RolloutAction.Pause, cause, now));
    }

    /// <summary>Records the decision's text as the state's message (<see cref="RolloutState.Message"/>), for a decision that changes the rollout.</summary>
    private RolloutDecision Record(RolloutDecision decision)
    {
        State = State with { Message = RolloutDecisionFormatter.Describe(decision) };
        decision.Recorded(State);
        return decision;
    }

    /// <summary>Makes the decision from the current state and runs.</summary>
    private RolloutDecision Decide(
        RolloutAction action,
        DecisionCause cause,
        DateTimeOffset now,
        AnalysisRunState? stepAnalysis = null,
        ManualOverride? command = null,
        DateTimeOffset? next = null,
        int? stepIndex = null,
        int? stepWeight = null)
    {
        stepAnalysis ??= _stepRun?.State;
        var background = _backgroundRun?.State;
        if (_analyses is null || !ReferenceEquals(_analysesOf.Step, stepAnalysis) || !ReferenceEquals(_analysesOf.Background, background))
        {
            _analyses = [.. stepAnalysis?.Metrics ?? [], .. background?.Metrics ?? []];
            _analysesOf = (stepAnalysis, background);
        }

        var index = stepIndex ?? State.StepIndex;
        var weight = State.Weight;
        if (Policy.Replicas is { } replicas && (_split is null || _split.RequestedWeight != weight))
        {
            _split = ReplicaSplit.ForWeight(replicas, weight, Policy.MaxSurge);
        }

        var split = Policy.Replicas is null ? null : _split;
        return new RolloutDecision
        {
            Action = action,
            Cause = cause,
            State = State,
            At = now,
            StepIndex = index,
            Step = index < Policy.Steps.Count ? Policy.Steps[index] : null,
            StepWeight = stepWeight ?? weight,
            Weight = weight,
            Split = split,
            StepAnalysis = stepAnalysis,
            BackgroundAnalysis = background,
            Analyses = _analyses,
            Command = command,
            NextTickAt = next,
        };
    }

    /// <summary>A subscription: disposing it unsubscribes (once).</summary>
    private sealed class Subscription(CanaryRollout rollout, IObserver<RolloutEvent> observer) : IDisposable
    {
        private CanaryRollout? _rollout = rollout;

        public void Dispose() => Interlocked.Exchange(ref _rollout, null)?.Unsubscribe(observer);
    }
}
