using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>Measures the canary's weighted per-endpoint success rate over a trailing window.</summary>
public sealed class SuccessRateCheck : IAnalysisCheck
{
    private readonly ITrafficSource _source;
    private readonly LabelSelector _canary;
    private readonly TimeSpan _window;
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
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        criteria.Validate();
        (_source, _canary, _window, _criteria) = (source, canary, window, criteria);
    }

    /// <inheritdoc />
    public CheckDescription Description => new()
    {
        Judges = CheckSubject.SuccessRate,
        Window = _window,
        Weights = _criteria.Weights,
        MinimumRequestsPerEndpoint = _criteria.MinimumRequestsPerEndpoint,
    };

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var snapshot = await _source.ReadAsync(new TrafficQuery(_canary, now, _window), cancellationToken).ConfigureAwait(false);
        return SuccessRateEvaluator.Evaluate(snapshot, _criteria);
    }
}
