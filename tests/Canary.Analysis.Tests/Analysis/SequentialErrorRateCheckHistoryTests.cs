using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>
/// The check reads the baseline's history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>) through its traffic
/// source, in segments ending where the first judged window starts, once: the evaluator keeps what it needs in the evidence,
/// so a check restored from saved evidence does not read it again.
/// </summary>
public sealed class SequentialErrorRateCheckHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    private static SequentialErrorRateCriteria Criteria() => new()
    {
        Weights = new EndpointWeights { ["/rare"] = 0.2, DefaultWeight = 0.8 / 24 },
        BaselineHistory = new BaselineHistoryOptions(),
    };

    [Fact]
    public async Task ReadsTheHistoryOnce_InSegmentsEndingWhereTheFirstWindowStarts()
    {
        var model = SimulatedTrafficModel.RareEndpointScenario(Start);
        model.BaselineHistory = TimeSpan.FromHours(24);
        var source = new RecordingSource(new SimulatedTrafficSource(model, 7));
        var check = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), Criteria());

        await check.MeasureAsync(Start + TimeSpan.FromMinutes(1));
        var history = source.Queries.Where(q => q.Window == TimeSpan.FromHours(1)).ToList();
        Assert.Equal(24, history.Count);
        Assert.All(history, q => Assert.Equal(SimulatedTrafficSource.BaselineSelector, q.Selector));
        Assert.All(history, q => Assert.Equal(TrafficCounting.CounterDifference, q.Counting));
        Assert.Equal(Start, history[^1].End);
        Assert.Equal(Start - TimeSpan.FromHours(24), history[0].Start);

        // About 24 h of the baseline at 0.5 %, in use on the endpoints whose last 6 hours pass the stability check at 1 % (with
        // this seed two busy ones are just above it, z ≈ 2.5, and say so).
        var rare = check.Evidence.Endpoints.Single(e => e.Endpoint == "/rare").History!;
        Assert.InRange(rare.Requests, 0.3 * 86_400 * 0.95, 0.3 * 86_400 * 1.05);
        Assert.InRange(rare.Rate, 0.003, 0.007);
        Assert.Equal(23, check.Evidence.Endpoints.Count(e => e.History is not null));
        Assert.StartsWith("not used for /api/e14 (its rate rose before the canary: 507/90065 recently vs 1332/269468)", check.Evidence.HistoryNote, StringComparison.Ordinal);

        // Later looks, and a new check restored from the saved evidence, read two windows a look and no history.
        var saved = check.SaveEvidence();
        var restored = new SequentialErrorRateCheck(source, SimulatedTrafficSource.CanarySelector, SimulatedTrafficSource.BaselineSelector, TimeSpan.FromMinutes(1), Criteria());
        restored.RestoreEvidence(saved.Json);
        var before = source.Queries.Count;
        await check.MeasureAsync(Start + TimeSpan.FromMinutes(2));
        await restored.MeasureAsync(Start + TimeSpan.FromMinutes(2));
        Assert.Equal(before + 4, source.Queries.Count);
        Assert.Equal(check.Evidence, restored.Evidence);
    }

    [Fact]
    public void SimulatedHistory_IsTheBaselinesAlone_AndLeavesTheTrafficAfterTheStartUnchanged()
    {
        var plain = SimulatedTrafficModel.RareEndpointScenario(Start);
        var withHistory = SimulatedTrafficModel.RareEndpointScenario(Start);
        withHistory.BaselineHistory = TimeSpan.FromHours(24);
        withHistory.BaselineHistoryErrorFactor = 2;
        var (a, b) = (new SimulatedTrafficSource(plain, 3), new SimulatedTrafficSource(withHistory, 3));

        var day = new TrafficQuery(SimulatedTrafficSource.BaselineSelector, Start, TimeSpan.FromHours(24));
        Assert.Empty(a.Read(day).Endpoints);
        var history = b.Read(day);
        Assert.InRange(history.TotalRequests, 100 * 86_400 * 0.99, 100 * 86_400 * 1.01);
        Assert.InRange(history.TotalRequests - history.TotalSuccesses, 0.01 * 100 * 86_400 * 0.95, 0.01 * 100 * 86_400 * 1.05);
        Assert.Empty(b.Read(new TrafficQuery(SimulatedTrafficSource.CanarySelector, Start, TimeSpan.FromHours(24))).Endpoints);

        // Halves of the history add up to the whole, and the first 13 minutes after the start are the same as without history.
        var first = b.Read(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, Start - TimeSpan.FromHours(12), TimeSpan.FromHours(12)));
        var second = b.Read(new TrafficQuery(SimulatedTrafficSource.BaselineSelector, Start, TimeSpan.FromHours(12)));
        Assert.Equal(history.TotalRequests, first.TotalRequests + second.TotalRequests);
        foreach (var selector in new[] { SimulatedTrafficSource.BaselineSelector, SimulatedTrafficSource.CanarySelector })
        {
            var step = new TrafficQuery(selector, Start + TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(13));
            Assert.Equal(a.Read(step).Endpoints.Values.Select(e => (e.Requests, e.Failures)), b.Read(step).Endpoints.Values.Select(e => (e.Requests, e.Failures)));
        }
    }

    private sealed class RecordingSource(ITrafficSource inner) : ITrafficSource
    {
        public List<TrafficQuery> Queries { get; } = [];

        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
        {
            Queries.Add(query);
            return inner.ReadAsync(query, cancellationToken);
        }
    }
}
