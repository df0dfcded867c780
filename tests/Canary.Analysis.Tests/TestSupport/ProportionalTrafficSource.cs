using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>
/// Steady traffic for any window at any precision: each endpoint serves a fixed rate per second (fractional counts, as
/// Prometheus' increase() gives), with a fixed error rate and latencies spread evenly over (0, 100 ms]. Records every query.
/// </summary>
internal sealed class ProportionalTrafficSource(LabelSelector canary, double canaryPerSecond, double baselinePerSecond, double errorRate, params string[] endpoints) : ITrafficSource
{
    private readonly object _gate = new();
    private readonly List<TrafficQuery> _queries = [];

    public IReadOnlyList<TrafficQuery> Queries
    {
        get
        {
            lock (_gate)
            {
                return [.. _queries];
            }
        }
    }

    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _queries.Add(query);
        }

        var perSecond = query.Selector.Equals(canary) ? canaryPerSecond : baselinePerSecond;
        var requests = perSecond * query.Window.TotalSeconds;
        var rows = endpoints.Select(name =>
        {
            var counts = new Dictionary<StatusClass, double> { [StatusClass.Success] = requests * (1 - errorRate), [StatusClass.ServerError] = requests * errorRate };
            var buckets = Enumerable.Range(1, 10).Select(i => (i / 100.0, requests * i / 10)).Append((double.PositiveInfinity, requests));
            return new EndpointTraffic(name, counts, SuccessRule.Status2xx, new LatencyHistogram(buckets, requests * 0.05));
        });
        return Task.FromResult(new TrafficSnapshot(query.End, query.Window, rows));
    }
}
