using System.Globalization;
using System.Text.Json;
using Canary.Analysis.Analysis;

namespace Canary.Analysis.Policies.Internal;

/// <summary>
/// Checks that a saved <see cref="RolloutState"/> is one <see cref="CanaryRollout"/> could have reached under the policy,
/// before <see cref="CanaryRollout.Resume"/> obeys it: a state that does not fit is refused, never obeyed.
/// </summary>
/// <remarks>
/// The rules are what the rollout's own transitions guarantee (with a clock that does not step backwards): the step
/// index is inside the policy and equals the step count exactly when promoted; the weight is the one the steps set; a
/// status has its cause (a pause step or an inconclusive analysis for Paused); the overrides are a sequence the commands
/// allow (skipped analysis is derived from them); analysis states name exactly the metrics of their
/// step, have counters the metric's limits and schedule allow, and times in order. Each violation is an
/// <see cref="ArgumentException"/> naming the JSON path of the field and its value.
/// </remarks>
internal static class RolloutStateValidator
{
    private const string ParamName = "state";

    /// <summary>
    /// How far the times a rollout records may be out of order before the state is refused: the times come from the
    /// controller's clock at each tick and command, and a real clock may step back a little (jitter, NTP slews).
    /// </summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(10);

    public static void Validate(CanaryPolicy policy, RolloutState state)
    {
        if (state.Version != RolloutState.CurrentVersion)
        {
            throw Invalid(policy, "$.version", state.Version, $"only format version {RolloutState.CurrentVersion} is supported");
        }

        if (!string.Equals(policy.Name, state.Policy, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The state belongs to policy '{state.Policy}', not '{policy.Name}' ($.policy).", ParamName);
        }

        if (state.Message is null)
        {
            throw Invalid(policy, "$.message", null, "must not be null");
        }

        Defined(policy, "$.status", state.Status);
        var steps = policy.Steps.Count;
        if (state.StepIndex < 0 || state.StepIndex > steps)
        {
            throw Invalid(policy, "$.stepIndex", state.StepIndex, $"the policy's steps are 0–{steps - 1} ({steps} once promoted)");
        }

        if ((state.StepIndex == steps) != (state.Status == RolloutStatus.Promoted))
        {
            throw state.Status == RolloutStatus.Promoted
                ? Invalid(policy, "$.stepIndex", state.StepIndex, $"a promoted rollout is past its last step ({steps})")
                : Invalid(policy, "$.stepIndex", state.StepIndex, $"only a promoted rollout is past its last step, and the status is {state.Status}");
        }

        if (state.StepStartedAt < state.StartedAt - ClockTolerance)
        {
            throw Invalid(policy, "$.stepStartedAt", state.StepStartedAt, $"before the rollout started ({Show(state.StartedAt)})");
        }

        var horizon = Horizon(policy);
        NotTooLate(policy, "$.startedAt", state.StartedAt, horizon);
        NotTooLate(policy, "$.stepStartedAt", state.StepStartedAt, horizon);
        ValidateWeight(policy, state);
        var lastRetryAt = ValidateOverrides(policy, state);
        if (lastRetryAt is { } retriedAt && state.StepStartedAt < retriedAt - ClockTolerance)
        {
            throw Invalid(policy, "$.stepStartedAt", state.StepStartedAt, $"before the last retry ({Show(retriedAt)})");
        }

        ValidateStepStart(policy, state, lastRetryAt);
        var live = state.Status is RolloutStatus.Progressing or RolloutStatus.Paused;
        if (state.AnalysisSkipped && (state.StepAnalysis is not null || state.BackgroundAnalysis is not null))
        {
            throw Invalid(policy, state.StepAnalysis is not null ? "$.stepAnalysis" : "$.backgroundAnalysis", new Raw("a snapshot"), "skipped analysis keeps no analysis progress");
        }

        if (state.StepAnalysis is { } stepRun)
        {
            var stepIndex = state.Status == RolloutStatus.Promoted
                ? state.Overrides is [.., { Action: ManualAction.Promote } promote] ? promote.AtStep : -1
                : state.StepIndex;
            if (stepIndex < 0 || policy.Steps[stepIndex].Kind != CanaryStepKind.Analysis)
            {
                throw Invalid(policy, "$.stepAnalysis", new Raw("a snapshot"), $"step {state.StepIndex} is not an analysis step running");
            }

            if (stepRun.StartedAt != state.StepStartedAt && state.Status != RolloutStatus.Promoted)
            {
                throw Invalid(policy, "$.stepAnalysis.startedAt", stepRun.StartedAt, $"a step's analysis starts with the step ({Show(state.StepStartedAt)})");
            }

            ValidateRun(policy, "$.stepAnalysis", stepRun, policy.Steps[stepIndex].Metrics, background: false, live, horizon);
            if (live && !(stepRun.Phase is AnalysisPhase.Pending or AnalysisPhase.Running
                || (state.Status == RolloutStatus.Paused && stepRun.Phase == AnalysisPhase.Inconclusive)))
            {
                throw Invalid(policy, "$.stepAnalysis.phase", stepRun.Phase, $"a {state.Status} rollout's step analysis is Pending or Running{(state.Status == RolloutStatus.Paused ? " (or Inconclusive)" : string.Empty)}");
            }
        }

        if (state.BackgroundAnalysis is { } backgroundRun)
        {
            if (policy.BackgroundAnalysis.Count == 0 || state.StepIndex < policy.BackgroundFromStep)
            {
                throw Invalid(policy, "$.backgroundAnalysis", new Raw("a snapshot"), policy.BackgroundAnalysis.Count == 0
                    ? "the policy has no background analysis"
                    : $"background analysis starts at step {policy.BackgroundFromStep}, and the rollout is at step {state.StepIndex}");
            }

            if (backgroundRun.StartedAt < (lastRetryAt ?? state.StartedAt) - ClockTolerance)
            {
                throw Invalid(policy, "$.backgroundAnalysis.startedAt", backgroundRun.StartedAt, $"before the rollout (or its last retry) started ({Show(lastRetryAt ?? state.StartedAt)})");
            }

            ValidateRun(policy, "$.backgroundAnalysis", backgroundRun, policy.BackgroundAnalysis, background: true, live, horizon);
            // Inconclusive pauses for a human; after the human resumes, the rollout is Progressing again (and pauses at its next tick).
            if (live && backgroundRun.Phase is not (AnalysisPhase.Pending or AnalysisPhase.Running or AnalysisPhase.Successful or AnalysisPhase.Inconclusive))
            {
                throw Invalid(policy, "$.backgroundAnalysis.phase", backgroundRun.Phase, $"background analysis that ended {backgroundRun.Phase} leaves no {state.Status} rollout");
            }
        }

        if (state.Status == RolloutStatus.Paused
            && !(policy.Steps[state.StepIndex] is { Kind: CanaryStepKind.Pause, Duration: null }
                 || state.StepAnalysis?.Phase == AnalysisPhase.Inconclusive
                 || state.BackgroundAnalysis?.Phase == AnalysisPhase.Inconclusive
                 || (state.AnalysisSkipped && state.Overrides[^1] is { Action: ManualAction.SkipAnalysis } skip && skip.AtStep == state.StepIndex)))
        {
            // (Skipping analysis while paused clears the inconclusive evidence that paused it: the rollout stays paused.)
            throw Invalid(policy, "$.status", state.Status, $"step {state.StepIndex} ({policy.Steps[state.StepIndex]}) does not wait for a human and no analysis is inconclusive");
        }
    }

    /// <summary>
    /// A timed pause lasts its duration unless a human resumes: the current step cannot have started before the last
    /// command (or the start, or the last retry) plus the timed pauses since. Catches a step index moved past a pause.
    /// </summary>
    private static void ValidateStepStart(CanaryPolicy policy, RolloutState state, DateTimeOffset? lastRetryAt)
    {
        if (state.Overrides is [.., { Action: ManualAction.Promote }])
        {
            return;
        }

        var (anchor, firstStep) = state.Overrides is [.., var last] && last.Action != ManualAction.Retry
            ? (last.At, last.AtStep + 1)
            : (lastRetryAt ?? state.StartedAt, 0);
        var earliest = (Int128)anchor.UtcTicks;
        for (var j = firstStep; j < state.StepIndex; j++)
        {
            earliest += policy.Steps[j] is { Kind: CanaryStepKind.Pause, Duration: { } duration } ? duration.Ticks : 0;
        }

        if (state.StepIndex >= firstStep && state.StepStartedAt.UtcTicks < earliest - ClockTolerance.Ticks)
        {
            throw Invalid(policy, "$.stepStartedAt", state.StepStartedAt, $"step {state.StepIndex} cannot start before {Show(new DateTimeOffset((long)Int128.Min(earliest, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero))}: the timed pauses before it had not elapsed since {Show(anchor)}");
        }
    }

    private static void ValidateWeight(CanaryPolicy policy, RolloutState state)
    {
        var expected = state.Status switch
        {
            RolloutStatus.Promoted => 100,
            RolloutStatus.Aborted => 0,
            _ => policy.Steps.Take(state.StepIndex).LastOrDefault(s => s.Kind == CanaryStepKind.SetWeight)?.Weight ?? 0,
        };
        if (state.Weight != expected)
        {
            throw Invalid(policy, "$.weight", state.Weight, $"the rollout is {state.Status} at step {state.StepIndex}, so its weight is {expected} %");
        }
    }

    /// <summary>Checks the overrides; returns when the last retry was given, if any.</summary>
    private static DateTimeOffset? ValidateOverrides(CanaryPolicy policy, RolloutState state)
    {
        if (state.Overrides is null)
        {
            throw Invalid(policy, "$.overrides", null, "must not be null");
        }

        var overrides = state.Overrides;
        var lastRetry = -1;
        for (var i = 0; i < overrides.Count; i++)
        {
            var path = Path($"$.overrides[{i}]");
            var o = overrides[i] ?? throw Invalid(policy, path, null, "must not be null");
            Defined(policy, $"{path}.action", o.Action);
            if (string.IsNullOrWhiteSpace(o.By) || string.IsNullOrWhiteSpace(o.Reason))
            {
                throw Invalid(policy, string.IsNullOrWhiteSpace(o.By) ? $"{path}.by" : $"{path}.reason", string.IsNullOrWhiteSpace(o.By) ? o.By : o.Reason, "a command records who and why");
            }

            if (o.AtStep < 0 || o.AtStep >= policy.Steps.Count)
            {
                throw Invalid(policy, $"{path}.atStep", o.AtStep, $"commands are given at steps 0–{policy.Steps.Count - 1}");
            }

            if (o.At < state.StartedAt - ClockTolerance || (i > 0 && overrides[i - 1] is { } previous && o.At < previous.At - ClockTolerance))
            {
                throw Invalid(policy, $"{path}.at", o.At, "before the rollout started or before the previous command");
            }

            var last = i == overrides.Count - 1;
            var terminalOk = o.Action switch
            {
                ManualAction.Promote => last,
                ManualAction.Abort => last || overrides[i + 1]?.Action == ManualAction.Retry,
                _ => true,
            };
            if (!terminalOk)
            {
                throw Invalid(policy, $"{path}.action", o.Action, o.Action == ManualAction.Abort
                    ? "after an abort only a retry can follow"
                    : "a promoted rollout takes no further command");
            }

            lastRetry = o.Action == ManualAction.Retry ? i : lastRetry;
        }

        // What still applies: the commands since the last retry (a retry starts a fully analysed rollout).
        for (var i = lastRetry + 1; i < overrides.Count; i++)
        {
            var o = overrides[i];
            var path = Path($"$.overrides[{i}]");
            if (o.AtStep > state.StepIndex)
            {
                throw Invalid(policy, $"{path}.atStep", o.AtStep, $"later than the rollout's step ({state.StepIndex})");
            }

            if (o.AtStep == state.StepIndex ? o.At < state.StepStartedAt - ClockTolerance : o.At > state.StepStartedAt + ClockTolerance)
            {
                throw Invalid(policy, $"{path}.at", o.At, o.AtStep == state.StepIndex
                    ? $"before the current step started ({Show(state.StepStartedAt)})"
                    : $"after the current step started ({Show(state.StepStartedAt)}), though given at an earlier step");
            }

            var status = o.Action switch
            {
                ManualAction.Promote => RolloutStatus.Promoted,
                ManualAction.Abort => RolloutStatus.Aborted,
                _ => (RolloutStatus?)null,
            };
            if (status is { } expected && state.Status != expected)
            {
                throw Invalid(policy, "$.status", state.Status, $"{path} is {o.Action}, so the rollout is {expected}");
            }
        }

        return lastRetry >= 0 ? overrides[lastRetry].At : null;
    }

    private static void ValidateRun(CanaryPolicy policy, string path, AnalysisRunState run, IReadOnlyList<AnalysisMetric> metrics, bool background, bool live, TimeSpan horizon)
    {
        if (run.Background != background)
        {
            throw Invalid(policy, $"{path}.background", run.Background, background ? "this is the background analysis" : "this is a step's analysis");
        }

        Defined(policy, $"{path}.phase", run.Phase);
        if (run.Message is null || run.Metrics is null)
        {
            throw Invalid(policy, run.Message is null ? $"{path}.message" : $"{path}.metrics", null, "must not be null");
        }

        if (live && run.Terminated)
        {
            throw Invalid(policy, $"{path}.terminationReason", run.TerminationReason, "only a promoted or aborted rollout terminates its analysis");
        }

        NotTooLate(policy, $"{path}.startedAt", run.StartedAt, horizon);
        if (run.Metrics.Count != metrics.Count)
        {
            throw Invalid(policy, $"{path}.metrics", new Raw($"{run.Metrics.Count} metric(s)"), $"the policy has {metrics.Count}: {string.Join(", ", metrics.Select(m => m.Name))}");
        }

        var byName = metrics.ToDictionary(m => m.Name, StringComparer.Ordinal);
        for (var i = 0; i < run.Metrics.Count; i++)
        {
            var metricPath = Path($"{path}.metrics[{i}]");
            var snapshot = run.Metrics[i] ?? throw Invalid(policy, metricPath, null, "must not be null");
            if (snapshot.Name is null || !byName.Remove(snapshot.Name, out var metric))
            {
                throw Invalid(policy, $"{metricPath}.name", snapshot.Name, $"not a metric of this analysis (or listed twice); expected {string.Join(", ", metrics.Select(m => m.Name))}");
            }

            ValidateMetric(policy, metricPath, snapshot, metric, run, live, horizon);
        }
    }

    private static void ValidateMetric(CanaryPolicy policy, string path, MetricRunStatus m, AnalysisMetric metric, AnalysisRunState run, bool live, TimeSpan horizon)
    {
        Defined(policy, $"{path}.phase", m.Phase);
        if (m.Message is null)
        {
            throw Invalid(policy, $"{path}.message", null, "must not be null");
        }

        foreach (var (name, value) in new[]
        {
            ("successful", m.Successful), ("failed", m.Failed), ("inconclusive", m.Inconclusive), ("errors", m.Errors),
            ("consecutiveErrors", m.ConsecutiveErrors), ("consecutiveSuccesses", m.ConsecutiveSuccesses),
        })
        {
            if (value < 0)
            {
                throw Invalid(policy, $"{path}.{name}", value, "a count is never negative");
            }
        }

        long conclusive = (long)m.Successful + m.Failed + m.Inconclusive;
        if (metric.EffectiveCount is { } count && conclusive > count)
        {
            throw Invalid(policy, $"{path}.successful", m.Successful, $"{conclusive} conclusive measurement(s) in all, more than the metric's count ({count})");
        }

        // A success resets the errors in a row, anything else the successes in a row: without other outcomes, every success
        // (or every error) is in the current run.
        if (m.ConsecutiveSuccesses > m.Successful || m.ConsecutiveErrors > m.Errors || (m.ConsecutiveSuccesses > 0 && m.ConsecutiveErrors > 0)
            || (m.Failed + (long)m.Inconclusive + m.Errors == 0 && m.ConsecutiveSuccesses != m.Successful)
            || (conclusive == 0 && m.ConsecutiveErrors != m.Errors))
        {
            throw Invalid(policy, $"{path}.consecutiveSuccesses", m.ConsecutiveSuccesses, $"inconsistent with successful {m.Successful}, errors {m.Errors}, consecutiveErrors {m.ConsecutiveErrors}");
        }

        ValidateHistory(policy, path, m, metric, conclusive);
        if (m.Last?.FinishedAt is { } finished)
        {
            NotTooLate(policy, $"{path}.history[{m.History.Count - 1}].finishedAt", finished, horizon);

            // The n-th conclusive measurement is due no sooner than start + initial delay + (n − 1) intervals (errors only
            // delay it); a tick may take it a little early (AnalysisRun absorbs timer jitter), so a fifth of each is spared.
            var earliestTicks = (Int128)run.StartedAt.UtcTicks + (metric.InitialDelay.Ticks * 4 / 5)
                + (conclusive > 1 ? (conclusive - 1) * ((Int128)(metric.Interval ?? TimeSpan.Zero).Ticks * 4 / 5) : 0);
            if (finished.UtcTicks < earliestTicks)
            {
                throw Invalid(policy, Path($"{path}.history[{m.History.Count - 1}].finishedAt"), finished, $"too early for {conclusive} conclusive measurement(s) of a run started {Show(run.StartedAt)} (initial delay {metric.InitialDelay}, interval {metric.Interval?.ToString() ?? "none"})");
            }
        }

        if (!live)
        {
            return;
        }

        // A run that can still decide: the metric's phase must be what its counters give, so that nothing is concluded early.
        var measured = conclusive + m.Errors > 0;
        var breached = (metric.FailureLimit >= 0 && m.Failed > metric.FailureLimit)
            || m.Inconclusive > metric.InconclusiveLimit
            || m.ConsecutiveErrors > metric.ConsecutiveErrorLimit;
        var countReached = metric.EffectiveCount is { } c && conclusive >= c;
        var successesReached = metric.ConsecutiveSuccessLimit > 0 && m.ConsecutiveSuccesses >= metric.ConsecutiveSuccessLimit;
        var consistent = m.Phase switch
        {
            AnalysisPhase.Pending => !measured,
            AnalysisPhase.Running => measured && !breached && !countReached && !successesReached,
            AnalysisPhase.Successful => m.Successful > 0 && !breached && (countReached || successesReached),

            // Failed, Error, Inconclusive: never a promotion; a metric not yet measured is Inconclusive once another one ends the run.
            _ => true,
        };
        if (!consistent)
        {
            throw Invalid(policy, $"{path}.phase", m.Phase, $"inconsistent with the counters (successful {m.Successful}, failed {m.Failed}, inconclusive {m.Inconclusive}, errors {m.Errors}, consecutive successes {m.ConsecutiveSuccesses}, consecutive errors {m.ConsecutiveErrors}) and the metric's count and limits");
        }
    }

    private static void ValidateHistory(CanaryPolicy policy, string path, MetricRunStatus m, AnalysisMetric metric, long conclusive)
    {
        if (m.History is null)
        {
            throw Invalid(policy, $"{path}.history", null, "must not be null");
        }

        var history = m.History;
        if (history.Count > metric.HistoryLimit || history.Count > conclusive + m.Errors || (history.Count == 0) != (conclusive + m.Errors == 0))
        {
            throw Invalid(policy, $"{path}.history", new Raw($"{history.Count} measurement(s)"), $"inconsistent with {conclusive + m.Errors} measurement(s) taken and the metric's history limit ({metric.HistoryLimit})");
        }

        ValidateRange(policy, path, m);
        for (var i = 0; i < history.Count; i++)
        {
            var itemPath = Path($"{path}.history[{i}]");
            var item = history[i] ?? throw Invalid(policy, itemPath, null, "must not be null");
            Defined(policy, $"{itemPath}.phase", item.Phase);
            if (item.Reason is null || item.FinishedAt < item.StartedAt || (i > 0 && item.StartedAt < history[i - 1].FinishedAt - ClockTolerance))
            {
                throw Invalid(policy, item.Reason is null ? $"{itemPath}.reason" : $"{itemPath}.startedAt", item.Reason is null ? null : item.StartedAt, "a measurement has a reason, and starts after the previous one finished and before it finishes");
            }

            if (item.Phase != MeasurementPhase.Error && !double.IsNaN(item.Value) && !double.IsNaN(m.MinimumValue) && !(item.Value >= m.MinimumValue && item.Value <= m.MaximumValue))
            {
                throw Invalid(policy, $"{itemPath}.value", item.Value, $"outside the metric's range ({m.MinimumValue.ToString(CultureInfo.InvariantCulture)} to {m.MaximumValue.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        if (m.Last is not { } last)
        {
            return;
        }

        var consistent = last.Phase switch
        {
            MeasurementPhase.Successful => m.ConsecutiveSuccesses >= 1,
            MeasurementPhase.Failed => m.Failed >= 1 && m.ConsecutiveSuccesses == 0 && m.ConsecutiveErrors == 0,
            MeasurementPhase.Inconclusive => m.Inconclusive >= 1 && m.ConsecutiveSuccesses == 0 && m.ConsecutiveErrors == 0,
            _ => m.ConsecutiveErrors >= 1 && double.IsNaN(last.Value),
        };
        if (!consistent)
        {
            throw Invalid(policy, Path($"{path}.history[{history.Count - 1}].phase"), last.Phase, $"inconsistent with the counters (failed {m.Failed}, inconclusive {m.Inconclusive}, consecutive successes {m.ConsecutiveSuccesses}, consecutive errors {m.ConsecutiveErrors}, last value {last.Value.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    /// <summary>The range of values is unknown (NaN, both) or an interval; a state migrated from format version 1 has no range.</summary>
    private static void ValidateRange(CanaryPolicy policy, string path, MetricRunStatus m)
    {
        if (double.IsNaN(m.MinimumValue) != double.IsNaN(m.MaximumValue) || m.MinimumValue > m.MaximumValue)
        {
            throw Invalid(policy, $"{path}.minimumValue", m.MinimumValue, $"not the smallest value of a range ending at {m.MaximumValue.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>The longest time the rollout adds to a saved time stamp (a pause, a metric's delay or interval), so that none overflows.</summary>
    private static TimeSpan Horizon(CanaryPolicy policy)
    {
        var longest = TimeSpan.Zero;
        foreach (var metric in policy.Steps.SelectMany(s => s.Metrics).Concat(policy.BackgroundAnalysis))
        {
            longest = Max(longest, metric.InitialDelay, metric.Interval ?? TimeSpan.Zero, metric.ErrorRetryInterval);
        }

        foreach (var step in policy.Steps)
        {
            longest = Max(longest, step.Duration ?? TimeSpan.Zero);
        }

        return longest;
    }

    private static TimeSpan Max(params ReadOnlySpan<TimeSpan> spans)
    {
        var max = TimeSpan.Zero;
        foreach (var span in spans)
        {
            max = span > max ? span : max;
        }

        return max;
    }

    private static void NotTooLate(CanaryPolicy policy, string path, DateTimeOffset at, TimeSpan horizon)
    {
        if (at.UtcTicks > DateTimeOffset.MaxValue.UtcTicks - horizon.Ticks)
        {
            throw Invalid(policy, path, at, $"too close to the end of time for the policy's longest wait ({horizon})");
        }
    }

    private static void Defined<TEnum>(CanaryPolicy policy, string path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw Invalid(policy, path, value, $"not a {typeof(TEnum).Name}");
        }
    }

    private static string Path(FormattableString path) => path.ToString(CultureInfo.InvariantCulture);

    private static string Show(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static string ShowValue(object? value) => value switch
    {
        null => "null",
        Raw raw => raw.Text,
        string s => $"\"{JsonEncodedText.Encode(s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "…"))}\"",
        DateTimeOffset at => Show(at),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A description shown as it is, not as a quoted value.</summary>
    private readonly record struct Raw(string Text);

    private static ArgumentException Invalid(CanaryPolicy policy, string path, object? value, string why, string paramName = ParamName) =>
        new($"The saved state does not fit policy '{policy.Name}': {path} = {ShowValue(value)}: {why}.", paramName);
}
