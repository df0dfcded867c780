using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>Measures the canary's weighted per-endpoint success rate over a trailing window.</summary>
public sealed class SuccessRateCheck : IAnalysisCheck
{
    private readonly VersionReader _reader;
    private readonly SuccessRateCriteria _criteria;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read.</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="window">The trailing window each measurement reads.</param>
    /// <param name="criteria">What the success rate must achieve (validated now).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public SuccessRateCheck(ITrafficSource source, LabelSelector canary, TimeSpan window, SuccessRateCriteria criteria)
    {
        _reader = new VersionReader(source, canary, baseline: null, window, nameof(window));
        _criteria = Guard.Validated(criteria);
    }

    /// <inheritdoc />
    public CheckDescription Description => _reader.Describe(CheckSubject.SuccessRate, _criteria);

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (canary, _) = await _reader.ReadAsync(now, includeLatency: false, cancellationToken).ConfigureAwait(false);
        return SuccessRateEvaluator.Evaluate(canary, _criteria);
    }
}
