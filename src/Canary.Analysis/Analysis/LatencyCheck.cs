using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Analysis;

/// <summary>Measures the canary's per-endpoint latency over a trailing window, optionally against the baseline's.</summary>
public sealed class LatencyCheck : IAnalysisCheck
{
    private readonly ITrafficSource _source;
    private readonly LabelSelector _canary;
    private readonly LabelSelector? _baseline;
    private readonly TimeSpan _window;
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
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        criteria.Validate();
        if (criteria.MaximumIncrease is not null && baseline is null)
        {
            throw new ArgumentException("LatencyCriteria.MaximumIncrease compares with the baseline: pass a baseline selector.", nameof(baseline));
        }

        (_source, _canary, _window, _criteria, _baseline) = (source, canary, window, criteria, baseline);
    }

    /// <inheritdoc />
    public CheckDescription Description => new()
    {
        Judges = CheckSubject.Latency,
        Window = _window,
        Weights = _criteria.Weights,
        MinimumRequestsPerEndpoint = _criteria.MinimumRequestsPerEndpoint,
        ComparesWithBaseline = _baseline is not null,
    };

    /// <inheritdoc />
    public async Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var canaryTask = _source.ReadAsync(new TrafficQuery(_canary, now, _window) { IncludeLatency = true }, cancellationToken);
        var baselineTask = _baseline is null ? null : _source.ReadAsync(new TrafficQuery(_baseline, now, _window) { IncludeLatency = true }, cancellationToken);
        var canary = await canaryTask.ConfigureAwait(false);
        var baseline = baselineTask is null ? null : await baselineTask.ConfigureAwait(false);
        return LatencyEvaluator.Evaluate(canary, _criteria, baseline);
    }
}
