using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>The traffic source needs only <see cref="IDatadogScalarQuery"/>: a recorded fake stands in for the provider.</summary>
public sealed class DatadogTrafficSourceScalarQueryTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_OverAFakeScalarQuery_SumsHitsAndErrorsOverTheQueryWindow()
    {
        var fake = new RecordedScalarQuery(query => query.Contains(".errors", StringComparison.Ordinal)
            ? [("GET /pay", 4), ("GET /home", 0)]
            : [("GET /pay", 100), ("GET /home", 50)]);
        var source = new DatadogTrafficSource(fake, new DatadogTraceConvention { Service = "web" });

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(10)));

        Assert.Equal(
            [
                ("sum:trace.http.request.hits{service:web,version:canary} by {resource_name}.as_count()", End.AddMinutes(-10), End, DatadogAggregator.Sum),
                ("sum:trace.http.request.errors{service:web,version:canary} by {resource_name}.as_count()", End.AddMinutes(-10), End, DatadogAggregator.Sum),
            ],
            fake.Calls);
        Assert.Equal((100d, 96d), (snapshot.Endpoints["GET /pay"].Requests, snapshot.Endpoints["GET /pay"].Successes));
        Assert.Equal((50d, 50d), (snapshot.Endpoints["GET /home"].Requests, snapshot.Endpoints["GET /home"].Successes));
    }

    private sealed class RecordedScalarQuery(Func<string, (string Resource, double Value)[]> answer) : IDatadogScalarQuery
    {
        public List<(string Query, DateTimeOffset From, DateTimeOffset To, DatadogAggregator Aggregator)> Calls { get; } = [];

        public Task<MetricQueryResult> QueryScalarAsync(string query, DateTimeOffset from, DateTimeOffset to, DatadogAggregator aggregator, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add((query, from, to, aggregator));
            }

            var series = answer(query).Select(row => new MetricSeries(
                new Dictionary<string, string> { ["resource_name"] = row.Resource },
                [new MetricSample(to, row.Value)])).ToList();
            return Task.FromResult(new MetricQueryResult(query, MetricResultType.Vector, series));
        }
    }
}
