namespace Canary.Analysis.Metrics.Datadog;

/// <summary>
/// What <see cref="DatadogTrafficSource"/> needs from Datadog: one v2 scalar query over a range, reduced by an aggregator.
/// <see cref="DatadogMetricProvider"/> implements it; a test or a recorded fake can too.
/// </summary>
public interface IDatadogScalarQuery
{
    /// <summary>Runs a scalar query: each group's series over [from, to] reduced to one number by <paramref name="aggregator"/>.</summary>
    /// <param name="query">A metrics query, e.g. <c>sum:trace.http.request.hits{service:web} by {resource_name}.as_count()</c>.</param>
    /// <param name="from">The start of the range.</param>
    /// <param name="to">The end of the range; the samples are stamped with it.</param>
    /// <param name="aggregator">How the range is reduced.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A <see cref="MetricResultType.Vector"/>, one series per group; groups without data are left out.</returns>
    Task<MetricQueryResult> QueryScalarAsync(string query, DateTimeOffset from, DateTimeOffset to, DatadogAggregator aggregator, CancellationToken cancellationToken = default);
}
