using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>What <see cref="SequentialLatencyCheck"/> reads: tiled windows with latency, and the baseline's history only while a bound is missing.</summary>
public sealed class SequentialLatencyCheckTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    /// <summary>100 requests a minute per version on /a, 1 % above 0.5 s.</summary>
    private static TrafficSnapshot Answer(TrafficQuery query)
    {
        var n = 100 * query.Window.TotalMinutes;
        var histogram = new LatencyHistogram([(0.1, n * 0.9), (0.5, n * 0.99), (double.PositiveInfinity, n)]);
        return new TrafficSnapshot(query.End, query.Window, [new EndpointTraffic("/a", new Dictionary<StatusClass, double> { [StatusClass.Success] = n }, latency: histogram)]);
    }

    [Fact]
    public async Task MeasureAsync_ReadsTheBaselinesHourBeforeTheFirstWindow_OnlyUntilTheBoundIsFixed()
    {
        var source = new FuncSource(Answer);
        var check = new SequentialLatencyCheck(source, Canary, Baseline, Minute, new SequentialLatencyCriteria());
        for (var i = 1; i <= 3; i++)
        {
            await check.MeasureAsync(Start + (Minute * i));
        }

        var history = Assert.Single(source.Queries, q => q.Window == TimeSpan.FromHours(1));
        Assert.Equal((Baseline, Start, TrafficCounting.Increase, true), (history.Selector, history.End, history.Counting, history.IncludeLatency));
        var windows = source.Queries.Where(q => q.Window == Minute).ToList();
        Assert.Equal(6, windows.Count);
        Assert.All(windows, q => Assert.Equal((TrafficCounting.CounterDifference, true), (q.Counting, q.IncludeLatency)));
        var bound = Assert.Single(check.Evidence.Bounds);
        Assert.Equal(("/a", 0.5, Start, 6000.0), (bound.Endpoint, bound.UpperBound, bound.ChosenAt, bound.BaselineRequests));
        Assert.Equal(0.01, bound.BaselineSlowShare, 9);
        Assert.Equal(300, check.Evidence.Test.Endpoints[0].CanaryRequests);
    }

    [Fact]
    public async Task MeasureAsync_FixedBound_ReadsNoHistory()
    {
        var source = new FuncSource(Answer);
        var check = new SequentialLatencyCheck(source, Canary, Baseline, Minute, new SequentialLatencyCriteria { LatencyBound = TimeSpan.FromSeconds(0.1) });
        await check.MeasureAsync(Start + Minute);
        Assert.All(source.Queries, q => Assert.Equal(Minute, q.Window));
        Assert.Equal(0.1, Assert.Single(check.Evidence.Bounds).UpperBound);
        Assert.Equal(10, check.Evidence.Test.Endpoints[0].CanaryErrors);
    }
}
