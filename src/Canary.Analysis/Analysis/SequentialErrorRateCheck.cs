using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A fail-fast check that may look every interval without raising false alarms: each measurement reads the canary and the
/// baseline over the time since the previous one and hands both to a <see cref="SequentialErrorRateEvaluator"/>, which judges
/// (always-valid evidence, exact on counts, per endpoint and service-wide; see there).
/// </summary>
/// <remarks>
/// <para>The first measurement reads over <c>firstWindow</c>; each next one from the end of the last window the evaluator used
/// (a window with gaps is read again), at any precision (a real clock's ticks). A source that throws adds nothing.</para>
/// <para>Reuse one instance for every analysis step of a policy (return the same instance from the step factory of
/// <see cref="Policies.CanaryPolicies"/>) and α bounds the false rollbacks of the whole policy, not of each step; the canary's
/// share of traffic may change between steps. The accumulated evidence is <see cref="Evidence"/>; as an
/// <see cref="IResumableCheck"/> the check hands it to the run after every look, so <see cref="Policies.RolloutState"/> saves it
/// and <see cref="Policies.CanaryRollout.Resume"/> restores it on a new instance after a process restart: the same test goes
/// on, with the same α, however often the controller restarts.</para>
/// </remarks>
public sealed class SequentialErrorRateCheck : IResumableCheck
{
    /// <summary>The name of the checks this class produces.</summary>
    public const string CheckName = SequentialErrorRateEvaluator.CheckName;

    private readonly VersionReader _reader;
    private readonly SequentialErrorRateEvaluator _evaluator;
    private DateTimeOffset? _firstWindowStart;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read.</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="baseline">Selects the baseline's series.</param>
    /// <param name="firstWindow">The window of the first measurement (typically the look interval).</param>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The first window is not positive.</exception>
    public SequentialErrorRateCheck(ITrafficSource source, LabelSelector canary, LabelSelector baseline, TimeSpan firstWindow, SequentialErrorRateCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        _reader = new VersionReader(source, canary, baseline, firstWindow, nameof(firstWindow));
        ArgumentNullException.ThrowIfNull(criteria);
        _evaluator = new SequentialErrorRateEvaluator(criteria) { BaselineSelector = baseline };
    }

    /// <summary>
    /// Gets how the check's reads count requests: by default the exact counter differences between looks
    /// (<see cref="TrafficCounting.CounterDifference"/>): whole numbers, and consecutive looks tile, so the test sees every
    /// request and error once. <see cref="TrafficCounting.Increase"/> reads Prometheus' <c>increase()</c> per look instead
    /// (for backends that cannot return raw samples): the increments between one look's last scrape and the next look's
    /// first are lost and the rest extrapolated and rounded, which costs power (see the README's numbers).
    /// </summary>
    /// <value>The default value is <see cref="TrafficCounting.CounterDifference"/>.</value>
    public TrafficCounting Counting { get; init; } = TrafficCounting.CounterDifference;

    /// <summary>Gets or sets the evidence accumulated so far (see <see cref="SequentialErrorRateEvaluator.State"/>): get it to save, set it to resume.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value is not a state the evaluator could have reached (<see cref="SequentialErrorRateState.Validate"/>).</exception>
    public SequentialErrorRateState Evidence
    {
        get => _evaluator.State;
        set => _evaluator.State = value;
    }

    /// <inheritdoc />
    /// <remarks>The window is null: the evidence accumulates over every look, so a step judges all of its time.</remarks>
    public CheckDescription Description => VersionReader.DescribeSequential(CheckSubject.ErrorRate, _evaluator.Criteria);

    /// <inheritdoc />
    public CheckEvidence SaveEvidence() => CheckEvidence.Of(_evaluator.State, EvidenceJsonContext.Default.SequentialErrorRateState);

    /// <inheritdoc />
    /// <exception cref="FormatException">The evidence is not a sequential error-rate state (wrong shape, unknown or missing members).</exception>
    /// <exception cref="ArgumentException">The state is well formed but not one the evaluator could have reached (<see cref="SequentialErrorRateState.Validate"/>).</exception>
    public void RestoreEvidence(JsonElement evidence) => Evidence = SavedEvidence.Read(evidence, EvidenceJsonContext.Default.SequentialErrorRateState, CheckName);

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        _firstWindowStart ??= now - _reader.Window;
        var start = _evaluator.State.WindowStart ?? _firstWindowStart.Value;
        if (now <= start)
        {
            return _evaluator.Result();
        }

        var history = _evaluator.Criteria.BaselineHistory is { } options && _evaluator.State.Endpoints.Count == 0
            ? await ReadHistoryAsync(options, start, cancellationToken).ConfigureAwait(false)
            : null;
        var (canary, baseline) = await _reader.ReadAsync(now, now - start, includeLatency: false, Counting, cancellationToken).ConfigureAwait(false);
        return _evaluator.Add(canary, baseline!, start, now, history);
    }

    /// <summary>
    /// Reads the baseline's history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>) through the same source, as
    /// counter differences over consecutive segments ending where the window being judged starts, oldest first. Read only
    /// until the endpoints are chosen: the evaluator then keeps what it needs in its evidence, so a restart resumes the same
    /// test without reading it again (and before that a restart reads the same windows again).
    /// </summary>
    private async Task<IReadOnlyList<TrafficSnapshot>> ReadHistoryAsync(BaselineHistoryOptions options, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var segment = options.SegmentLength;
        var segments = new TrafficSnapshot[options.Segments];
        for (var i = 0; i < segments.Length; i++)
        {
            var segmentEnd = end - (segment * (segments.Length - 1 - i));
            segments[i] = await _reader.Source.ReadAsync(new TrafficQuery(_reader.Baseline!, segmentEnd, segment) { Counting = Counting }, cancellationToken).ConfigureAwait(false);
        }

        return segments;
    }
}
