using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>The check reads exact counter differences by default, and <c>increase()</c> only when asked to.</summary>
public sealed class SequentialErrorRateCheckCountingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, TrafficCounting.CounterDifference)]
    [InlineData(TrafficCounting.Increase, TrafficCounting.Increase)]
    [InlineData(TrafficCounting.CounterDifference, TrafficCounting.CounterDifference)]
    public async Task MeasureAsync_ReadsBothVersionsWithTheCheckCounting(TrafficCounting? configured, TrafficCounting expected)
    {
        var source = new CountingSource();
        var canary = LabelSelector.Parse("version=\"canary\"");
        var baseline = LabelSelector.Parse("version=\"baseline\"");
        var check = configured is { } counting
            ? new SequentialErrorRateCheck(source, canary, baseline, TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria()) { Counting = counting }
            : new SequentialErrorRateCheck(source, canary, baseline, TimeSpan.FromMinutes(1), new SequentialErrorRateCriteria());

        await check.MeasureAsync(T0.AddMinutes(1));
        await check.MeasureAsync(T0.AddMinutes(2).AddTicks(1234));

        Assert.Equal(4, source.Queries.Count);
        Assert.All(source.Queries, q => Assert.Equal(expected, q.Counting));
        Assert.Equal(T0.AddMinutes(1), source.Queries[^1].Start);
    }

    private sealed class CountingSource : ITrafficSource
    {
        public List<TrafficQuery> Queries { get; } = [];

        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
        {
            lock (Queries)
            {
                Queries.Add(query);
            }

            return Task.FromResult(new TrafficSnapshot(query.End, query.Window, [new EndpointTraffic("/a", 100, 99)]));
        }
    }
}
