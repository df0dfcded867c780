namespace Canary.Analysis.Metrics;

/// <summary>Runs queries against a metrics backend (Prometheus, Datadog, recorded data, …).</summary>
/// <remarks>
/// Implementations throw <see cref="MetricQueryException"/> for every failure they can name (the backend's
/// error, a bad response, a timeout) and <see cref="OperationCanceledException"/> only when the caller's token
/// is cancelled. An empty result is not an error: callers decide what no data means.
/// </remarks>
public interface IMetricProvider
{
    /// <summary>Evaluates a query at one instant.</summary>
    /// <param name="query">The query in the backend's language.</param>
    /// <param name="time">The evaluation time.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The result.</returns>
    /// <exception cref="MetricQueryException">The backend rejected the query or could not be read.</exception>
    Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>Evaluates a query at each step of a time range.</summary>
    /// <param name="query">The query in the backend's language.</param>
    /// <param name="start">The first evaluation time.</param>
    /// <param name="end">The last evaluation time (inclusive when on a step).</param>
    /// <param name="step">The distance between evaluations; positive.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The result, normally a <see cref="MetricResultType.Matrix"/>.</returns>
    /// <exception cref="MetricQueryException">The backend rejected the query or could not be read.</exception>
    Task<MetricQueryResult> QueryRangeAsync(
        string query,
        DateTimeOffset start,
        DateTimeOffset end,
        TimeSpan step,
        CancellationToken cancellationToken = default);
}
