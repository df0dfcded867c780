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
/// </remarks>
public sealed class AnalysisRun
{
    private readonly List<MetricRunStatus> _metrics;
    private bool _terminated;
    private string? _terminationReason;

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
    public bool IsTerminating => _terminated || _metrics.Any(m => !m.Metric.DryRun && m.Phase is AnalysisPhase.Failed or AnalysisPhase.Error or AnalysisPhase.Inconclusive);

    /// <summary>Gets when the next measurement is due, or null when none will be taken.</summary>
    public DateTimeOffset? NextMeasurementAt =>
        IsCompleted || IsTerminating ? null : _metrics.Select(DueAt).Where(d => d is not null).Min();

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
    public async Task<AnalysisPhase> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!IsCompleted && !IsTerminating)
        {
            var due = _metrics.Where(m => DueAt(m) is { } at && at <= now).ToList();
            var measurements = await Task.WhenAll(due.Select(m => MeasureAsync(m.Metric, now, cancellationToken))).ConfigureAwait(false);
            for (var i = 0; i < due.Count; i++)
            {
                due[i].Record(measurements[i]);
                AssessMetric(due[i]);
            }
        }

        Assess();
        return Phase;
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

        (status.Phase, status.Message) = (AnalysisPhase.Running, $"{status.Count} measurement(s) so far; last: {LastReason(status)}");
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

        var deciding = _metrics.Where(m => !m.Metric.DryRun).ToList();
        if (deciding.Count == 0)
        {
            var allDone = _metrics.All(m => m.IsCompleted);
            (Phase, Message) = allDone || terminating
                ? (AnalysisPhase.Successful, "Only dry-run metrics: nothing decides this run.")
                : (AnalysisPhase.Running, "Only dry-run metrics are measuring.");
            return;
        }

        if (terminating || deciding.All(m => m.IsCompleted))
        {
            var worst = deciding.Where(m => m.IsCompleted).OrderByDescending(m => m.Phase).ThenBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault();
            if (worst is null)
            {
                (Phase, Message) = (AnalysisPhase.Inconclusive, $"Terminated before any measurement{Because()}.");
                return;
            }

            Phase = worst.Phase;
            Message = Phase == AnalysisPhase.Successful
                ? $"All {deciding.Count} metric(s) successful{Because()}."
                : $"{worst.Name}: {worst.Message}";
            return;
        }

        var anyMeasured = _metrics.Any(m => m.Last is not null);
        (Phase, Message) = anyMeasured
            ? (AnalysisPhase.Running, $"{deciding.Count(m => m.IsCompleted)} of {deciding.Count} metric(s) complete.")
            : (AnalysisPhase.Pending, "Waiting for the first measurement.");
    }

    private string Because() => _terminationReason is null ? string.Empty : $" (terminated: {_terminationReason})";

    private static string LastReason(MetricRunStatus status) => status.Last?.Reason ?? "none";
}
