using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>
/// The latency counterpart of <see cref="SequentialErrorRateCheck"/>: each measurement reads both versions' latency histograms
/// over the time since the previous one and hands them to a <see cref="SequentialLatencyEvaluator"/>, which counts, per endpoint,
/// the requests slower than a bound fixed in advance (a given SLO bucket, or the baseline's p99 bucket chosen from the baseline
/// alone) and judges them with the error-rate check's always-valid, exact, one-sided test (per endpoint, weighted, and
/// service-wide). Looking every minute keeps α; the evidence and the bounds survive restarts.
/// </summary>
/// <remarks>
/// <para>While an endpoint has no bound (no <see cref="SequentialLatencyCriteria.LatencyBound"/>), each measurement also reads the
/// baseline's histograms from <see cref="SequentialLatencyCriteria.BaselineHistory"/> before the first window up to the start
/// of the window being judged, with <c>increase()</c> (a bound needs a quantile, not exact counts), and the evaluator fixes the
/// bounds it can. Windows are read as <see cref="SequentialErrorRateCheck"/> reads them, with latency, counting
/// <see cref="Counting"/>. A source that throws adds nothing.</para>
/// <para>Reuse one instance for every step of a policy, as with the error-rate check. As an <see cref="IResumableCheck"/> the
/// check saves <see cref="Evidence"/> (the test's state and the bounds) with the rollout's state and restores it after a
/// restart: the same test goes on with the same bounds.</para>
/// </remarks>
public sealed class SequentialLatencyCheck : IResumableCheck
{
    /// <summary>The name of the checks this class produces.</summary>
    public const string CheckName = SequentialLatencyEvaluator.CheckName;

    private readonly VersionReader _reader;
    private readonly LabelSelector _baseline;
    private readonly SequentialLatencyEvaluator _evaluator;
    private DateTimeOffset? _firstWindowStart;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read (with latency histograms).</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="baseline">Selects the baseline's series.</param>
    /// <param name="firstWindow">The window of the first measurement (typically the look interval).</param>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The first window is not positive.</exception>
    public SequentialLatencyCheck(ITrafficSource source, LabelSelector canary, LabelSelector baseline, TimeSpan firstWindow, SequentialLatencyCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        _reader = new VersionReader(source, canary, baseline, firstWindow, nameof(firstWindow));
        ArgumentNullException.ThrowIfNull(criteria);
        _baseline = baseline;
        _evaluator = new SequentialLatencyEvaluator(criteria) { BaselineSelector = baseline };
    }

    /// <summary>Gets how the check's reads count requests (see <see cref="SequentialErrorRateCheck.Counting"/>).</summary>
    /// <value>The default value is <see cref="TrafficCounting.CounterDifference"/>: exact histogram differences between looks.</value>
    public TrafficCounting Counting { get; init; } = TrafficCounting.CounterDifference;

    /// <summary>Gets or sets the evidence accumulated so far (see <see cref="SequentialLatencyEvaluator.State"/>): get it to save, set it to resume.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not a state the evaluator could have reached (<see cref="SequentialLatencyState.Validate"/>).</exception>
    public SequentialLatencyState Evidence
    {
        get => _evaluator.State;
        set => _evaluator.State = value;
    }

    /// <inheritdoc />
    /// <remarks>The window is null: the evidence accumulates over every look, so a step judges all of its time.</remarks>
    public CheckDescription Description => VersionReader.DescribeSequential(CheckSubject.Latency, _evaluator.Criteria.Test);

    /// <inheritdoc />
    public CheckEvidence SaveEvidence() => CheckEvidence.Of(_evaluator.State, EvidenceJsonContext.Default.SequentialLatencyState);

    /// <inheritdoc />
    /// <exception cref="FormatException">The evidence is not a sequential latency state (wrong shape, unknown or missing members).</exception>
    /// <exception cref="ArgumentException">The state is well formed but not one the evaluator could have reached (<see cref="SequentialLatencyState.Validate"/>).</exception>
    public void RestoreEvidence(JsonElement evidence) => Evidence = SavedEvidence.Read(evidence, EvidenceJsonContext.Default.SequentialLatencyState, CheckName);

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        _firstWindowStart ??= now - _reader.Window;
        var start = _evaluator.State.Test.WindowStart ?? _firstWindowStart.Value;
        if (now <= start)
        {
            return _evaluator.Result();
        }

        var windowTask = _reader.ReadAsync(now, now - start, includeLatency: true, Counting, cancellationToken);
        Task<TrafficSnapshot>? historyTask = null;
        if (_evaluator.NeedsBaselineHistory && _evaluator.BaselineHistoryStart(start) is var historyStart && historyStart < start)
        {
            historyTask = _reader.Source.ReadAsync(new TrafficQuery(_baseline, start, start - historyStart) { IncludeLatency = true }, cancellationToken);
        }

        await Task.WhenAll(historyTask is null ? [windowTask] : [windowTask, historyTask]).ConfigureAwait(false);
        var (canary, baseline) = await windowTask.ConfigureAwait(false);
        var history = historyTask is null ? null : await historyTask.ConfigureAwait(false);
        return _evaluator.Add(canary, baseline!, start, now, history);
    }
}
