using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>
/// Compares the canary's per-endpoint error rates with the baseline's over a trailing window with a fixed-sample test
/// (<see cref="ErrorRateComparisonEvaluator"/>: Fisher's exact test or the chi-squared proportion test, α split by weight).
/// </summary>
/// <remarks>
/// A fixed-sample test answers for one look: give the analysis one measurement at the end of its window (Count = 1, or a
/// final soak verdict). Looking every interval with it adds up false alarms; <see cref="SequentialErrorRateCheck"/> is the
/// check that may look every minute.
/// </remarks>
public sealed class ErrorRateComparisonCheck : IAnalysisCheck
{
    private readonly ITrafficSource _source;
    private readonly LabelSelector _canary;
    private readonly LabelSelector _baseline;
    private readonly TimeSpan _window;
    private readonly ErrorRateComparisonCriteria _criteria;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read.</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="baseline">Selects the baseline's series.</param>
    /// <param name="window">The trailing window each measurement reads.</param>
    /// <param name="criteria">The criteria (validated now).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public ErrorRateComparisonCheck(ITrafficSource source, LabelSelector canary, LabelSelector baseline, TimeSpan window, ErrorRateComparisonCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        criteria.Validate();
        (_source, _canary, _baseline, _window, _criteria) = (source, canary, baseline, window, criteria);
    }

    /// <inheritdoc />
    public CheckDescription Description => new()
    {
        Judges = CheckSubject.ErrorRate,
        Window = _window,
        Weights = _criteria.Weights,
        MinimumRequestsPerEndpoint = _criteria.MinimumRequestsPerEndpoint,
        ComparesWithBaseline = true,
    };

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var canaryTask = _source.ReadAsync(new TrafficQuery(_canary, now, _window), cancellationToken);
        var baselineTask = _source.ReadAsync(new TrafficQuery(_baseline, now, _window), cancellationToken);
        await Task.WhenAll(canaryTask, baselineTask).ConfigureAwait(false);
        return ErrorRateComparisonEvaluator.Evaluate(await canaryTask.ConfigureAwait(false), await baselineTask.ConfigureAwait(false), _criteria);
    }
}
