namespace Canary.Analysis.Statistics;

/// <summary>
/// The events (errors, say) and trials (requests) of the canary and the baseline counted in one interval between two looks,
/// for one stratum (an endpoint): increments, not cumulative values.
/// </summary>
/// <param name="CanaryEvents">The canary's events in the interval; between 0 and <paramref name="CanaryTrials"/>.</param>
/// <param name="CanaryTrials">The canary's trials in the interval; at least 0.</param>
/// <param name="BaselineEvents">The baseline's events in the interval; between 0 and <paramref name="BaselineTrials"/>.</param>
/// <param name="BaselineTrials">The baseline's trials in the interval; at least 0.</param>
public readonly record struct IntervalCounts(long CanaryEvents, long CanaryTrials, long BaselineEvents, long BaselineTrials)
{
    /// <summary>Refuses counts that are negative or with more events than trials.</summary>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentException">A count is negative or events exceed trials.</exception>
    internal void ThrowIfInvalid(string paramName)
    {
        if (CanaryEvents < 0 || BaselineEvents < 0 || CanaryEvents > CanaryTrials || BaselineEvents > BaselineTrials)
        {
            throw new ArgumentException($"Counts must be non-negative with events at most trials: {this}.", paramName);
        }
    }
}
