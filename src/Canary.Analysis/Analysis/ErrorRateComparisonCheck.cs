using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
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
    private readonly VersionReader _reader;
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
        ArgumentNullException.ThrowIfNull(baseline);
        _reader = new VersionReader(source, canary, baseline, window, nameof(window));
        _criteria = Guard.Validated(criteria);
    }

    /// <inheritdoc />
    public CheckDescription Description => _reader.Describe(CheckSubject.ErrorRate, _criteria);

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (canary, baseline) = await _reader.ReadAsync(now, includeLatency: false, cancellationToken).ConfigureAwait(false);
        return ErrorRateComparisonEvaluator.Evaluate(canary, baseline!, _criteria);
    }
}
