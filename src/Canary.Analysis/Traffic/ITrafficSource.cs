namespace Canary.Analysis.Traffic;

/// <summary>Reads per-endpoint traffic of one version over a window.</summary>
public interface ITrafficSource
{
    /// <summary>Reads a snapshot.</summary>
    /// <param name="query">Which series and which window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The per-endpoint traffic; endpoints without traffic in the window may be absent.</returns>
    /// <exception cref="Canary.Analysis.Metrics.MetricQueryException">The backend failed.</exception>
    Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default);
}
