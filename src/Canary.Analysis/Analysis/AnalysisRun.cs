using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Internal;
using Canary.Analysis.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A run of measurements over time for a set of metrics, with Argo Rollouts' semantics: interval, initial delay,
/// count, failure/inconclusive/consecutive-error/consecutive-success limits, dry-run metrics, errors that do not
/// count toward the count and are retried, the run's phase as the worst of its metrics, and fail-fast on a
/// breached limit.
/// </summary>
/// <remarks>
/// <para>Deciding is a pure function of the measurements and the times passed in: the run never reads a clock
/// itself (<see cref="RunAsync"/> waits with the <see cref="TimeProvider"/> it is given).</para>
/// <para>Deliberate differences from Argo, each the safe choice: a metric with an interval and no count is
/// rejected unless the run is background analysis (Argo accepts it and the step never completes); a metric or
/// run terminated before any successful measurement is Inconclusive, and so is a metric whose count is reached without
/// one successful measurement, however many inconclusive or failed ones its limits tolerate (Argo: Successful in
/// both cases); checks report missing
/// data as Inconclusive rather than Error, and a check cannot be built without a condition (Argo: no condition
/// means Successful). Measurements are due at <c>finish + interval</c> inclusive (Argo: strictly after).</para>
/// <para>Real clocks: a tick takes a measurement up to a tenth of its spacing (the interval, initial delay or error retry
/// interval; at most <see cref="MaximumEarliness"/>) before it is due. A host whose timer fires every interval with a
/// little jitter would otherwise skip every look whose tick came a moment earlier than the previous one (Argo's
/// controller requeues itself at the due time, so it never sees this). <see cref="NextMeasurementAt"/> stays the nominal
/// time. Any time works, ticks included: checks read the exact time since their previous look.</para>
/// </remarks>
public sealed class AnalysisRun
{
    // Completed tasks are immutable, so a tick with nothing to measure can hand back a shared one (indexed by phase).
    private static readonly Task<AnalysisPhase>[] PhaseTasks = CompletedPhaseTasks();

    private readonly AnalysisMetric[] _metrics;

    // Formatting caches only (the state is State): the measurement each Running message was formatted for, and the last
    // progress message with its counts, so that a tick with nothing new formats (and allocates) nothing.
    private readonly Measurement?[] _runningMessageOf;
    private string? _progressMessage;
    private (int Completed, int Deciding) _progressCounts;

    /// <summary>
    /// The most a tick may take a measurement before it is due (a tenth of its spacing, at most this): the jitter of a host's
    /// timer that is absorbed without skipping a look.
    /// </summary>
    public static TimeSpan MaximumEarliness { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Creates a run.</summary>
    /// <param name="metrics">The metrics; names must be unique.</param>
    /// <param name="startedAt">When the run starts (initial delays count from here).</param>
    /// <param name="background">Whether this is background analysis, ended by promotion: indefinite metrics are then allowed.</param>
    /// <exception cref="ArgumentException">No metric, a duplicate name or an invalid metric; the message names it.</exception>
    public AnalysisRun(IEnumerable<AnalysisMetric> metrics, DateTimeOffset startedAt, bool background = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var specs = new List<AnalysisMetric>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            ArgumentNullException.ThrowIfNull(metric, nameof(metrics));
            metric.Validate(allowIndefinite: background);
            if (!names.Add(metric.Name))
            {
                throw new ArgumentException($"Analysis metric '{metric.Name}' appears twice.", nameof(metrics));
            }

            specs.Add(metric);
        }

        if (specs.Count == 0)
        {
            throw new ArgumentException("An analysis run needs at least one metric.", nameof(metrics));
        }

        _metrics = [.. specs];
        _runningMessageOf = new Measurement?[_metrics.Length];
        State = new AnalysisRunState
        {
            StartedAt = startedAt,
            Background = background,
            // A check shared with an earlier step (one sequential test for the whole policy) brings its evidence along, so a
            // state saved before this run's first measurement still resumes the same test.
            Metrics = [.. specs.Select(m => new MetricRunStatus { Name = m.Name, CheckEvidence = (m.Check as IResumableCheck)?.SaveEvidence() })],
        };
    }

    /// <summary>
    /// Gets or sets where a run used on its own logs (a <see cref="Policies.CanaryRollout"/> leaves its runs' at the default and
    /// logs through its events: <see cref="Observability.RolloutLogger"/>). Event ids 1200 each measurement (Debug: value,
    /// threshold, evidence and boundary), 1201 a measurement that could not be taken (Warning: its error kind, never its
    /// message), 1202 the run's completion (Information when successful, Warning when inconclusive, Error when failed or in
    /// error: the deciding metric's numbers and, for a failure, its deciding endpoint's value, limit, baseline value, n, evidence
    /// and boundary), with the numbers as structured state. Logging never changes a decision.
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>.</value>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Gets the run's state: an immutable value, replaced (never changed) when a tick or command changes something.</summary>
    public AnalysisRunState State { get; private set; }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt => State.StartedAt;

    /// <summary>Gets a value indicating whether this is background analysis.</summary>
    public bool IsBackground => State.Background;

    /// <summary>Gets the metrics' specifications, in the order given.</summary>
    public IReadOnlyList<AnalysisMetric> Specifications => _metrics;

    /// <summary>Gets the metrics' states, in the order given.</summary>
    public IReadOnlyList<MetricRunStatus> Metrics => State.Metrics;

    /// <summary>Gets the run's phase.</summary>
    public AnalysisPhase Phase => State.Phase;

    /// <summary>Gets a one-line explanation of the phase.</summary>
    public string Message => State.Message;

    /// <summary>Gets a value indicating whether the run has completed.</summary>
    public bool IsCompleted => Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;

    /// <summary>Gets a value indicating whether no new measurement starts: terminated, or a deciding metric already failed.</summary>
    public bool IsTerminating => Terminating(State.Metrics);

    /// <summary>Gets when the next measurement is due, or null when none will be taken.</summary>
    public DateTimeOffset? NextMeasurementAt
    {
        get
        {
            if (IsCompleted || IsTerminating)
            {
                return null;
            }

            DateTimeOffset? next = null;
            for (var i = 0; i < _metrics.Length; i++)
            {
                if (DueAt(i) is { } at && (next is null || at < next))
                {
                    next = at;
                }
            }

            return next;
        }
    }

    /// <summary>Stops the run: no new measurement starts, and the run completes with the worst phase so far.</summary>
    /// <param name="reason">Why (promotion, abort, …), kept in <see cref="Message"/>.</param>
    public void Terminate(string reason)
    {
        State = State with { TerminationReason = reason };
        Assess(null);
    }

    /// <summary>Takes every measurement due at <paramref name="now"/> (in parallel) and reassesses the run.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the measurements.</param>
    /// <returns>The run's phase afterwards.</returns>
    public Task<AnalysisPhase> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // Most ticks find nothing due: they complete synchronously without allocating (no list, no task, no new state).
        try
        {
            List<int>? due = null;
            if (!IsCompleted && !IsTerminating)
            {
                for (var i = 0; i < _metrics.Length; i++)
                {
                    if (DueAt(i) is { } at && at - EarlyTolerance(i) <= now)
                    {
                        (due ??= []).Add(i);
                    }
                }
            }

            if (due is not null)
            {
                return MeasureDueAsync(due, now, cancellationToken);
            }

            Assess(null);
            return PhaseTasks[(int)Phase];
        }
#pragma warning disable CA1031 // Faults surface through the task, as they did when this method was async.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<AnalysisPhase>(ex);
        }
    }

    /// <summary>Measures whenever something is due, waiting with <paramref name="timeProvider"/>, until the run completes.</summary>
    /// <param name="timeProvider">The clock (a <c>FakeTimeProvider</c> in tests: advance it to move the run on).</param>
    /// <param name="cancellationToken">Stops waiting and measuring.</param>
    /// <returns>The final phase.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public async Task<AnalysisPhase> RunAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        while (true)
        {
            var phase = await TickAsync(timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (IsCompleted || NextMeasurementAt is not { } next)
            {
                return phase;
            }

            var wait = next - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Recreates a run from its metrics and a state saved from <see cref="State"/>.</summary>
    /// <param name="metrics">The same metrics the run was created with (matched by name).</param>
    /// <param name="state">The saved progress.</param>
    /// <returns>The run, continuing where it stopped; its checks that keep evidence (<see cref="IResumableCheck"/>) have it back.</returns>
    /// <exception cref="ArgumentException">
    /// The metrics and the state do not match, or a check refuses its saved evidence; the message names the metric (and
    /// <c>metrics[i].checkEvidence</c> for evidence).
    /// </exception>
    public static AnalysisRun Restore(IEnumerable<AnalysisMetric> metrics, AnalysisRunState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var run = new AnalysisRun(metrics, state.StartedAt, state.Background);
        var saved = new Dictionary<string, MetricRunStatus>(StringComparer.Ordinal);
        foreach (var status in state.Metrics)
        {
            if (!saved.TryAdd(status.Name, status))
            {
                throw new ArgumentException($"The saved run has metric '{status.Name}' twice.", nameof(state));
            }
        }

        var ordered = new MetricRunStatus[run._metrics.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var metric = run._metrics[i];
            if (!saved.Remove(metric.Name, out var status))
            {
                throw new ArgumentException($"Analysis metric '{metric.Name}' is not in the saved run.", nameof(metrics));
            }

            RestoreEvidence(metric, status, i);
            ordered[i] = status;
        }

        if (saved.Count > 0)
        {
            throw new ArgumentException($"The saved run has metric(s) the policy no longer has: {string.Join(", ", saved.Keys)}.", nameof(metrics));
        }

        // The saved value itself when its metrics were already in the run's order (nothing changed: the same value).
        var restored = state with { Metrics = ValueArray<MetricRunStatus>.Own(ordered) };
        run.State = restored == state ? state : restored;
        return run;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Phase}: {Message}";

    private static void RestoreEvidence(AnalysisMetric metric, MetricRunStatus status, int index)
    {
        if (status.CheckEvidence is not { } evidence)
        {
            return;
        }

        if (metric.Check is not IResumableCheck check)
        {
            throw new ArgumentException($"metrics[{index}].checkEvidence: metric '{metric.Name}' has saved evidence, but its check ({metric.Check.GetType().Name}) keeps none (it is not an {nameof(IResumableCheck)}).", nameof(metric));
        }

        try
        {
            check.RestoreEvidence(evidence.Json);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ArgumentException($"metrics[{index}].checkEvidence: the check of metric '{metric.Name}' refused its saved evidence: {ex.Message}", nameof(metric), ex);
        }
    }

    private async Task<AnalysisPhase> MeasureDueAsync(List<int> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tasks = new Task<Measurement>[due.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = MeasureAsync(_metrics[due[i]], now, cancellationToken);
        }

        var measurements = await Task.WhenAll(tasks).ConfigureAwait(false);
        var metrics = State.Metrics.ToArray();
        for (var i = 0; i < due.Count; i++)
        {
            var index = due[i];
            var spec = _metrics[index];
            var evidence = (spec.Check as IResumableCheck)?.SaveEvidence();
            metrics[index] = AssessMetric(index, metrics[index].Record(measurements[i], spec.HistoryLimit, evidence), Terminating(metrics));
            LogMeasurement(spec.Name, measurements[i], metrics[index].ConsecutiveErrors);
        }

        Assess(metrics);
        return Phase;
    }

    private static async Task<Measurement> MeasureAsync(AnalysisMetric metric, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var result = await metric.Check.MeasureAsync(now, cancellationToken).ConfigureAwait(false);
            var phase = result.Verdict switch
            {
                Verdict.Pass => MeasurementPhase.Successful,
                Verdict.Fail => MeasurementPhase.Failed,
                _ => MeasurementPhase.Inconclusive,
            };
            return new Measurement(phase, now, now, result.Value, result.Reason, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to measure is an Error measurement, retried; it must never stop the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Measurement(MeasurementPhase.Error, now, now, double.NaN, $"{ex.GetType().Name}: {ex.Message}", null)
            {
                ErrorKind = (ex as MetricQueryException)?.Kind,
            };
        }
    }

    private static Task<AnalysisPhase>[] CompletedPhaseTasks()
    {
        var phases = Enum.GetValues<AnalysisPhase>();
        var tasks = new Task<AnalysisPhase>[(int)phases.Max() + 1];
        foreach (var phase in phases)
        {
            tasks[(int)phase] = Task.FromResult(phase);
        }

        return tasks;
    }

    private static MetricRunStatus With(MetricRunStatus status, AnalysisPhase phase, string message) =>
        status.Phase == phase && string.Equals(status.Message, message, StringComparison.Ordinal) ? status : status with { Phase = phase, Message = message };

    private static string LastReason(MetricRunStatus status) => status.Last?.Reason ?? "none";

    private bool Terminating(IReadOnlyList<MetricRunStatus> metrics)
    {
        if (State.Terminated)
        {
            return true;
        }

        for (var i = 0; i < _metrics.Length; i++)
        {
            if (!_metrics[i].DryRun && metrics[i].Phase is AnalysisPhase.Failed or AnalysisPhase.Error or AnalysisPhase.Inconclusive)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How early a tick may take a measurement: a tenth of the time since the previous one was due, at most <see cref="MaximumEarliness"/>.</summary>
    private TimeSpan EarlyTolerance(int index)
    {
        var metric = _metrics[index];
        var spacing = State.Metrics[index].Last switch
        {
            null => metric.InitialDelay,
            { Phase: MeasurementPhase.Error } => metric.ErrorRetryInterval,
            _ => metric.Interval ?? TimeSpan.Zero,
        };
        var tenth = spacing / 10;
        return tenth < MaximumEarliness ? tenth : MaximumEarliness;
    }

    private DateTimeOffset? DueAt(int index)
    {
        var status = State.Metrics[index];
        if (status.IsCompleted)
        {
            return null;
        }

        var metric = _metrics[index];
        return status.Last switch
        {
            null => StartedAt + metric.InitialDelay,
            { Phase: MeasurementPhase.Error } last => last.FinishedAt + metric.ErrorRetryInterval,
            { } last when metric.Interval is { } interval => last.FinishedAt + interval,
            _ => null,
        };
    }

    /// <summary>Returns the metric's state with the phase its counters give (the same value when nothing changes).</summary>
    /// <param name="index">The metric's index.</param>
    /// <param name="status">Its state.</param>
    /// <param name="terminating">Whether the run is terminating, given every metric's state so far.</param>
    private MetricRunStatus AssessMetric(int index, MetricRunStatus status, bool terminating)
    {
        if (status.IsCompleted)
        {
            return status;
        }

        var metric = _metrics[index];
        if (status.Last is null)
        {
            return terminating ? With(status, AnalysisPhase.Inconclusive, "Terminated before any measurement.") : status;
        }

        // Argo checks the limits in this order and the last match wins: Error beats Inconclusive beats Failed.
        (AnalysisPhase Phase, string Message)? breached = null;
        if (metric.FailureLimit >= 0 && status.Failed > metric.FailureLimit)
        {
            breached = (AnalysisPhase.Failed, $"{status.Failed} failed measurement(s), more than the {metric.FailureLimit} tolerated; last: {LastReason(status)}");
        }

        if (status.Inconclusive > metric.InconclusiveLimit)
        {
            breached = (AnalysisPhase.Inconclusive, $"{status.Inconclusive} inconclusive measurement(s), more than the {metric.InconclusiveLimit} tolerated; last: {LastReason(status)}");
        }

        if (status.ConsecutiveErrors > metric.ConsecutiveErrorLimit)
        {
            breached = (AnalysisPhase.Error, $"{status.ConsecutiveErrors} errors in a row, more than the {metric.ConsecutiveErrorLimit} tolerated; last: {LastReason(status)}");
        }

        if (breached is { } b)
        {
            return With(status, b.Phase, b.Message);
        }

        if (metric.ConsecutiveSuccessLimit > 0 && status.ConsecutiveSuccesses >= metric.ConsecutiveSuccessLimit)
        {
            return With(status, AnalysisPhase.Successful, $"{status.ConsecutiveSuccesses} successes in a row.");
        }

        if (metric.EffectiveCount is { } count && status.Count >= count)
        {
            if (status.Successful == 0)
            {
                // Argo calls this Successful; with no passing measurement there is no evidence to promote on.
                return With(status, AnalysisPhase.Inconclusive, $"{count} measurement(s) taken, none successful; last: {LastReason(status)}");
            }

            var failureLimitApplies = metric.FailureLimit >= 0;
            var (phase, message) = (failureLimitApplies, metric.ConsecutiveSuccessLimit > 0) switch
            {
                (true, true) => (AnalysisPhase.Inconclusive, $"{count} measurement(s) taken: the consecutive success limit was not reached and the failure limit was not breached."),
                (false, true) => (AnalysisPhase.Failed, $"{count} measurement(s) taken without {metric.ConsecutiveSuccessLimit} successes in a row."),
                _ => (AnalysisPhase.Successful, $"{count} measurement(s) within limits; last: {LastReason(status)}"),
            };
            return With(status, phase, message);
        }

        if (terminating)
        {
            return status.Successful > 0
                ? With(status, AnalysisPhase.Successful, $"Terminated after {status.Count} measurement(s) within limits.")
                : With(status, AnalysisPhase.Inconclusive, "Terminated before any successful measurement.");
        }

        // The message depends only on the count and the last measurement, which change together when a measurement is
        // recorded: while the last one is the same, keep the message rather than format an equal one on every tick.
        if (status.Phase == AnalysisPhase.Running && ReferenceEquals(_runningMessageOf[index], status.Last))
        {
            return status;
        }

        _runningMessageOf[index] = status.Last;
        return With(status, AnalysisPhase.Running, $"{status.Count} measurement(s) so far; last: {LastReason(status)}");
    }

    /// <summary>Reassesses every metric and the run, and replaces <see cref="State"/> when anything changed.</summary>
    /// <param name="owned">Metric states to start from that this run owns (a new array), or null for the current ones.</param>
    private void Assess(MetricRunStatus[]? owned)
    {
        if (IsCompleted)
        {
            return;
        }

        AssessState(owned);
        if (IsCompleted)
        {
            LogCompletion();
        }
    }

    private void LogMeasurement(string metric, Measurement measurement, int consecutiveErrors)
    {
        if (measurement.Phase == MeasurementPhase.Error)
        {
            AnalysisRunLog.MeasurementError(Logger, metric, measurement.ErrorKind, consecutiveErrors);
            return;
        }

        var result = measurement.Evidence;
        AnalysisRunLog.Measured(Logger, metric, measurement.Phase, measurement.Value, result?.Threshold ?? double.NaN, result?.EvidenceValue ?? double.NaN, result?.EvidenceBoundary ?? double.NaN);
    }

    /// <summary>Logs the run's completion with its deciding metric: the first in the worst phase among those that decide.</summary>
    private void LogCompletion()
    {
        var level = Phase switch
        {
            AnalysisPhase.Successful => LogLevel.Information,
            AnalysisPhase.Inconclusive => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!Logger.IsEnabled(level))
        {
            return;
        }

        MetricRunStatus? deciding = null;
        for (var i = 0; i < _metrics.Length; i++)
        {
            if (!_metrics[i].DryRun && (deciding is null || State.Metrics[i].Phase > deciding.Phase))
            {
                deciding = State.Metrics[i];
            }
        }

        var result = deciding?.Last?.Evidence;
        var endpoint = Phase == AnalysisPhase.Failed ? DecidingEndpoint.Of(result) : null;
        AnalysisRunLog.Completed(Logger, level, Phase, deciding?.Name ?? "(none)", deciding?.Phase ?? Phase,
            result?.Value ?? deciding?.Last?.Value ?? double.NaN, result?.Threshold ?? double.NaN, result?.EvidenceValue ?? double.NaN, result?.EvidenceBoundary ?? double.NaN,
            endpoint?.Endpoint, endpoint?.Value, endpoint?.Limit, endpoint?.BaselineValue, endpoint?.Requests, endpoint?.EvidenceValue, endpoint?.EvidenceBoundary);
    }

    /// <summary>Reassesses every metric and the run (not completed yet), and replaces <see cref="State"/> when anything changed.</summary>
    /// <param name="owned">Metric states to start from that this run owns (a new array), or null for the current ones.</param>
    private void AssessState(MetricRunStatus[]? owned)
    {
        IReadOnlyList<MetricRunStatus> metrics = owned ?? State.Metrics;
        var terminating = Terminating(metrics);
        var terminatingNow = terminating;
        for (var i = 0; i < _metrics.Length; i++)
        {
            var assessed = AssessMetric(i, metrics[i], terminatingNow);
            if (!ReferenceEquals(assessed, metrics[i]))
            {
                owned ??= [.. metrics];
                metrics = owned;
                owned[i] = assessed;
                terminatingNow = Terminating(metrics);
            }
        }

        var (phase, message) = Conclude(metrics, terminating);
        if (!ReferenceEquals(metrics, State.Metrics) || phase != State.Phase || !string.Equals(message, State.Message, StringComparison.Ordinal))
        {
            State = State with { Metrics = ReferenceEquals(metrics, owned) ? ValueArray<MetricRunStatus>.Own(owned) : metrics, Phase = phase, Message = message };
        }
    }

    /// <summary>The run's phase and message from its metrics' (Argo: the worst phase; the first such metric in the run's order names it).</summary>
    private (AnalysisPhase Phase, string Message) Conclude(IReadOnlyList<MetricRunStatus> metrics, bool terminating)
    {
        int deciding = 0, completed = 0;
        var anyMeasured = false;
        var allDone = true;
        MetricRunStatus? worst = null;
        for (var i = 0; i < _metrics.Length; i++)
        {
            var m = metrics[i];
            anyMeasured |= m.Last is not null;
            allDone &= m.IsCompleted;
            if (!_metrics[i].DryRun)
            {
                deciding++;
                if (m.IsCompleted)
                {
                    completed++;
                    worst = worst is null || m.Phase > worst.Phase ? m : worst;
                }
            }
        }

        if (deciding == 0)
        {
            return allDone || terminating
                ? (AnalysisPhase.Successful, "Only dry-run metrics: nothing decides this run.")
                : (AnalysisPhase.Running, "Only dry-run metrics are measuring.");
        }

        if (terminating || completed == deciding)
        {
            if (worst is null)
            {
                return (AnalysisPhase.Inconclusive, $"Terminated before any measurement{Because()}.");
            }

            return worst.Phase == AnalysisPhase.Successful
                ? (worst.Phase, $"All {deciding} metric(s) successful{Because()}.")
                : (worst.Phase, $"{worst.Name}: {worst.Message}");
        }

        return anyMeasured
            ? (AnalysisPhase.Running, ProgressMessage(completed, deciding))
            : (AnalysisPhase.Pending, "Waiting for the first measurement.");
    }

    /// <summary>Returns "k of n metric(s) complete.", formatted again only when k or n changed.</summary>
    private string ProgressMessage(int completed, int deciding)
    {
        if (_progressMessage is null || _progressCounts != (completed, deciding))
        {
            (_progressMessage, _progressCounts) = ($"{completed} of {deciding} metric(s) complete.", (completed, deciding));
        }

        return _progressMessage;
    }

    private string Because() => State.TerminationReason is not { } reason ? string.Empty : $" (terminated: {reason})";
}
