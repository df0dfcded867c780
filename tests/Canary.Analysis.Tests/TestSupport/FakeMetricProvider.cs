using Canary.Analysis.Metrics;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>Answers every instant query with a fixed result and records the queries it was asked.</summary>
internal sealed class FakeMetricProvider(Func<string, MetricQueryResult> answer) : IMetricProvider
{
    public List<(string Query, DateTimeOffset Time)> Queries { get; } = [];

    public Task<MetricQueryResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        Queries.Add((query, time));
        return Task.FromResult(answer(query));
    }

    public Task<MetricQueryResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Traffic sources only use instant queries.");

    public static MetricQueryResult Vector(string query, DateTimeOffset time, params (string Endpoint, string Code, double Value)[] rows) =>
        new(query, MetricResultType.Vector, rows.Select(r => new MetricSeries(
            new Dictionary<string, string> { ["endpoint"] = r.Endpoint, ["code"] = r.Code },
            [new MetricSample(time, r.Value)])).ToList());
}
