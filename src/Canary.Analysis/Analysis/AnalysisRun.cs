using Canary.Analysis.Evaluation;

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

    private readonly List<MetricRunStatus> _metrics;
    private bool _terminated;
    private string? _terminationReason;
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
        _metrics = [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            ArgumentNullException.ThrowIfNull(metric, nameof(metrics));
            metric.Validate(allowIndefinite: background);
            if (!names.Add(metric.Name))
            {
                throw new ArgumentException($"Analysis metric '{metric.Name}' appears twice.", nameof(metrics));
            }

            _metrics.Add(new MetricRunStatus(metric));
        }

        if (_metrics.Count == 0)
        {
            throw new ArgumentException("An analysis run needs at least one metric.", nameof(metrics));
        }

        StartedAt = startedAt;
        IsBackground = background;
    }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets a value indicating whether this is background analysis.</summary>
    public bool IsBackground { get; }

    /// <summary>Gets the metrics' states, in the order given.</summary>
    public IReadOnlyList<MetricRunStatus> Metrics => _metrics;

    /// <summary>Gets the run's phase.</summary>
    public AnalysisPhase Phase { get; private set; } = AnalysisPhase.Pending;

    /// <summary>Gets a one-line explanation of the phase.</summary>
    public string Message { get; private set; } = "Not started.";

    /// <summary>Gets a value indicating whether the run has completed.</summary>
    public bool IsCompleted => Phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Inconclusive or AnalysisPhase.Error;

    /// <summary>Gets a value indicating whether no new measurement starts: terminated, or a deciding metric already failed.</summary>
    public bool IsTerminating
    {
        get
        {
            if (_terminated)
            {
                return true;
            }

            foreach (var m in _metrics)
            {
                if (!m.Metric.DryRun && m.Phase is AnalysisPhase.Failed or AnalysisPhase.Error or AnalysisPhase.Inconclusive)
                {
                    return true;
                }
            }

            return false;
        }
    }

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
            foreach (var m in _metrics)
            {
                if (DueAt(m) is { } at && (next is null || at < next))
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
        _terminated = true;
        _terminationReason = reason;
        Assess();
    }

    /// <summary>Takes every measurement due at <paramref name="now"/> (in parallel) and reassesses the run.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the measurements.</param>
    /// <returns>The run's phase afterwards.</returns>
    public Task<AnalysisPhase> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // Most ticks find nothing due: they complete synchronously without allocating (no list, no task).
        try
        {
            List<MetricRunStatus>? due = null;
            if (!IsCompleted && !IsTerminating)
            {
                foreach (var m in _metrics)
                {
                    if (DueAt(m) is { } at && at - EarlyTolerance(m) <= now)
                    {
                        (due ??= []).Add(m);
                    }
                }
            }

            if (due is not null)
            {
                return MeasureDueAsync(due, now, cancellationToken);
            }

            Assess();
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

    /// <summary>Copies the run's progress into a serialisable snapshot.</summary>
    /// <returns>The snapshot.</returns>
    public AnalysisRunSnapshot Snapshot() => new()
    {
        StartedAt = StartedAt,
        Background = IsBackground,
        Terminated = _terminated,
        TerminationReason = _terminationReason,
        Phase = Phase,
        Message = Message,
        Metrics = [.. _metrics.Select(m => m.ToSnapshot())],
    };

    /// <summary>Returns whether <paramref name="snapshot"/> holds exactly what <see cref="Snapshot"/> would copy now.</summary>
    /// <param name="snapshot">A snapshot, of this run or another.</param>
    /// <returns>True when a new snapshot would be equal to it, so it can be kept instead.</returns>
    internal bool IsDescribedBy(AnalysisRunSnapshot snapshot)
    {
        if (!snapshot.StartedAt.EqualsExact(StartedAt) || snapshot.Background != IsBackground || snapshot.Terminated != _terminated
            || !string.Equals(snapshot.TerminationReason, _terminationReason, StringComparison.Ordinal)
            || snapshot.Phase != Phase || !string.Equals(snapshot.Message, Message, StringComparison.Ordinal)
            || snapshot.Metrics.Count != _metrics.Count)
        {
            return false;
        }

        for (var i = 0; i < _metrics.Count; i++)
        {
            if (!_metrics[i].IsDescribedBy(snapshot.Metrics[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Recreates a run from its metrics and a snapshot taken by <see cref="Snapshot"/>.</summary>
    /// <param name="metrics">The same metrics the run was created with (matched by name).</param>
    /// <param name="snapshot">The saved progress.</param>
    /// <returns>The run, continuing where it stopped.</returns>
    /// <exception cref="ArgumentException">The metrics and the snapshot do not match; the message names the metric.</exception>
    public static AnalysisRun Restore(IEnumerable<AnalysisMetric> metrics, AnalysisRunSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var run = new AnalysisRun(metrics, snapshot.StartedAt, snapshot.Background);
        var saved = snapshot.Metrics.ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var status in run._metrics)
        {
            if (!saved.Remove(status.Name, out var metric))
            {
                throw new ArgumentException($"Analysis metric '{status.Name}' is not in the saved run.", nameof(metrics));
            }

            status.Restore(metric);
        }

        if (saved.Count > 0)
        {
            throw new ArgumentException($"The saved run has metric(s) the policy no longer has: {string.Join(", ", saved.Keys)}.", nameof(metrics));
        }

        (run._terminated, run._terminationReason, run.Phase, run.Message) = (snapshot.Terminated, snapshot.TerminationReason, snapshot.Phase, snapshot.Message);
        return run;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Phase}: {Message}";

    private async Task<AnalysisPhase> MeasureDueAsync(List<MetricRunStatus> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tasks = new Task<Measurement>[due.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = MeasureAsync(due[i].Metric, now, cancellationToken);
        }

        var measurements = await Task.WhenAll(tasks).ConfigureAwait(false);
        for (var i = 0; i < due.Count; i++)
        {
            due[i].Record(measurements[i]);
            AssessMetric(due[i]);
        }

        Assess();
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
            return new Measurement(MeasurementPhase.Error, now, now, double.NaN, $"{ex.GetType().Name}: {ex.Message}", null);
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

    /// <summary>How early a tick may take a measurement: a tenth of the time since the previous one was due, at most <see cref="MaximumEarliness"/>.</summary>
    private static TimeSpan EarlyTolerance(MetricRunStatus status)
    {
        var metric = status.Metric;
        var spacing = status.Last switch
        {
            null => metric.InitialDelay,
            { Phase: MeasurementPhase.Error } => metric.ErrorRetryInterval,
            _ => metric.Interval ?? TimeSpan.Zero,
        };
        var tenth = spacing / 10;
        return tenth < MaximumEarliness ? tenth : MaximumEarliness;
    }

    private DateTimeOffset? DueAt(MetricRunStatus status)
    {
        if (status.IsCompleted)
        {
            return null;
        }

        var metric = status.Metric;
        return status.Last switch
        {
            null => StartedAt + metric.InitialDelay,
            { Phase: MeasurementPhase.Error } last => last.FinishedAt + metric.ErrorRetryInterval,
            { } last when metric.Interval is { } interval => last.FinishedAt + interval,
            _ => null,
        };
    }

    private void AssessMetric(MetricRunStatus status)
    {
        if (status.IsCompleted)
        {
            return;
        }

        var metric = status.Metric;
        if (status.Last is null)
        {
            if (IsTerminating)
            {
                (status.Phase, status.Message) = (AnalysisPhase.Inconclusive, "Terminated before any measurement.");
            }

            return;
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
            (status.Phase, status.Message) = b;
            return;
        }

        if (metric.ConsecutiveSuccessLimit > 0 && status.ConsecutiveSuccesses >= metric.ConsecutiveSuccessLimit)
        {
            (status.Phase, status.Message) = (AnalysisPhase.Successful, $"{status.ConsecutiveSuccesses} successes in a row.");
            return;
        }

        if (metric.EffectiveCount is { } count && status.Count >= count)
        {
            if (status.Successful == 0)
            {
                // Argo calls this Successful; with no passing measurement there is no evidence to promote on.
                (status.Phase, status.Message) = (AnalysisPhase.Inconclusive, $"{count} measurement(s) taken, none successful; last: {LastReason(status)}");
                return;
            }

            var failureLimitApplies = metric.FailureLimit >= 0;
            (status.Phase, status.Message) = (failureLimitApplies, metric.ConsecutiveSuccessLimit > 0) switch
            {
                (true, true) => (AnalysisPhase.Inconclusive, $"{count} measurement(s) taken: the consecutive success limit was not reached and the failure limit was not breached."),
                (false, true) => (AnalysisPhase.Failed, $"{count} measurement(s) taken without {metric.ConsecutiveSuccessLimit} successes in a row."),
                _ => (AnalysisPhase.Successful, $"{count} measurement(s) within limits; last: {LastReason(status)}"),
            };
            return;
        }

        if (IsTerminating)
        {
            (status.Phase, status.Message) = status.Successful > 0
                ? (AnalysisPhase.Successful, $"Terminated after {status.Count} measurement(s) within limits.")
                : (AnalysisPhase.Inconclusive, "Terminated before any successful measurement.");
            return;
        }

        // The message depends only on the count and the last measurement, which change together when a measurement is
        // recorded: while the last one is the same, keep the message rather than format an equal one on every tick.
        if (status.Phase != AnalysisPhase.Running || !ReferenceEquals(status.RunningMessageOf, status.Last))
        {
            (status.Phase, status.Message) = (AnalysisPhase.Running, $"{status.Count} measurement(s) so far; last: {LastReason(status)}");
            status.RunningMessageOf = status.Last;
        }
    }

    private void Assess()
    {
        if (IsCompleted)
        {
            return;
        }

        var terminating = IsTerminating;
        foreach (var status in _metrics)
        {
            AssessMetric(status);
        }

        int deciding = 0, completed = 0;
        var anyMeasured = false;
        foreach (var m in _metrics)
        {
            anyMeasured |= m.Last is not null;
            if (!m.Metric.DryRun)
            {
                deciding++;
                completed += m.IsCompleted ? 1 : 0;
            }
        }

        if (deciding == 0)
        {
            var allDone = _metrics.All(m => m.IsCompleted);
            (Phase, Message) = allDone || terminating
                ? (AnalysisPhase.Successful, "Only dry-run metrics: nothing decides this run.")
                : (AnalysisPhase.Running, "Only dry-run metrics are measuring.");
            return;
        }

        if (terminating || completed == deciding)
        {
            var worst = _metrics.Where(m => !m.Metric.DryRun && m.IsCompleted).OrderByDescending(m => m.Phase).ThenBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault();
            if (worst is null)
            {
                (Phase, Message) = (AnalysisPhase.Inconclusive, $"Terminated before any measurement{Because()}.");
                return;
            }

            Phase = worst.Phase;
            Message = Phase == AnalysisPhase.Successful
                ? $"All {deciding} metric(s) successful{Because()}."
                : $"{worst.Name}: {worst.Message}";
            return;
        }

        (Phase, Message) = anyMeasured
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

    private string Because() => _terminationReason is null ? string.Empty : $" (terminated: {_terminationReason})";

    private static string LastReason(MetricRunStatus status) => status.Last?.Reason ?? "none";
}
