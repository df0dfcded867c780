using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>Measures the canary's per-endpoint latency over a trailing window, optionally against the baseline's.</summary>
public sealed class LatencyCheck : IAnalysisCheck
{
    private readonly VersionReader _reader;
    private readonly LatencyCriteria _criteria;

    /// <summary>Creates the check.</summary>
    /// <param name="source">Where traffic is read (with latency histograms).</param>
    /// <param name="canary">Selects the canary's series.</param>
    /// <param name="window">The trailing window each measurement reads.</param>
    /// <param name="criteria">The latency criteria (validated now).</param>
    /// <param name="baseline">Selects the baseline's series; required when the criteria compare with the baseline.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The criteria are invalid, or compare with a baseline that is not selected.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public LatencyCheck(ITrafficSource source, LabelSelector canary, TimeSpan window, LatencyCriteria criteria, LabelSelector? baseline = null)
    {
        _reader = new VersionReader(source, canary, baseline, window, nameof(window));
        _criteria = Guard.Validated(criteria);
        if (criteria.MaximumIncrease is not null && baseline is null)
        {
            throw new ArgumentException("LatencyCriteria.MaximumIncrease compares with the baseline: pass a baseline selector.", nameof(baseline));
        }
    }

    /// <inheritdoc />
    public CheckDescription Description => _reader.Describe(CheckSubject.Latency, _criteria);

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (canary, baseline) = await _reader.ReadAsync(now, includeLatency: true, cancellationToken).ConfigureAwait(false);
        return LatencyEvaluator.Evaluate(canary, _criteria, baseline);
    }
}
