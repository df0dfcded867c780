using Canary.Analysis.Metrics;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// Answers instant and range queries from in-memory values per query (a query without values throws, as a recorded provider
/// does); a range answer spreads the values over the range, one per step. Records every range query it was asked.
/// </summary>
internal sealed class SeriesMetricProvider(IReadOnlyDictionary<string, double[][]> series) : IMetricProvider
{
    public List<(string Query, DateTimeOffset Start, DateTimeOffset End, TimeSpan Step)> RangeQueries { get; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default) =>
        Task.FromResult(Answer(query, time, TimeSpan.Zero));

    public Task<MetricQueryResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        RangeQueries.Add((query, start, end, step));
        return Task.FromResult(Answer(query, start, step));
    }

    private MetricQueryResult Answer(string query, DateTimeOffset start, TimeSpan step)
    {
        if (!series.TryGetValue(query, out var values))
        {
            throw new MetricQueryException(query, MetricQueryErrorKind.Backend, "no such query");
        }

        return new MetricQueryResult(query, MetricResultType.Matrix, values.Select((v, i) => new MetricSeries(
            new Dictionary<string, string> { ["series"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            v.Select((x, j) => new MetricSample(start + (step * j), x)).ToList())).ToList(), Warnings);
    }
}
