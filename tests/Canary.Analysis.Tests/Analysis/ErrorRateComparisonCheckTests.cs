using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

public sealed class ErrorRateComparisonCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 15, 0, TimeSpan.Zero);
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    private static ErrorRateComparisonCheck Check(ITrafficSource source) =>
        new(source, Canary, Baseline, TimeSpan.FromMinutes(13), new ErrorRateComparisonCriteria());

    [Fact]
    public async Task ReadsBothVersionsOverTheTrailingWindow()
    {
        var source = new ProportionalTrafficSource(Canary, 1, 20, 0.01, "/pay");

        var result = await Check(source).MeasureAsync(Now);

        Assert.Equal((Verdict.Pass, ErrorRateComparisonEvaluator.CheckName), (result.Verdict, result.Name));
        Assert.Equal(2, source.Queries.Count);
        Assert.All(source.Queries, q => Assert.Equal((Now, TimeSpan.FromMinutes(13)), (q.End, q.Window)));
    }

    [Fact]
    public void DescribesItself()
    {
        var description = Check(new ProportionalTrafficSource(Canary, 1, 20, 0.01, "/pay")).Description;

        Assert.Equal((CheckSubject.ErrorRate, (TimeSpan?)TimeSpan.FromMinutes(13), true, (double?)null, (double?)50), (description.Judges, description.Window, description.ComparesWithBaseline, description.SequentialAlpha, description.MinimumRequestsPerEndpoint));
    }

    [Theory]
    [InlineData(0.0, RolloutAction.Promote)]
    [InlineData(0.2, RolloutAction.Rollback)]
    public async Task InACanaryRollout_OneFinalLook_PromotesOrRollsBack(double canaryErrorRate, RolloutAction expected)
    {
        var source = new SplitSource(canaryErrorRate);
        var metric = new AnalysisMetric { Name = "errors", Check = Check(source), InitialDelay = TimeSpan.FromMinutes(13), Count = 1 };
        var policy = new CanaryPolicy("fixed", [CanaryStep.SetWeight(5), CanaryStep.Analysis("final", metric)]);

        Assert.Equal(expected, (await RolloutRunner.RunAsync(policy, Now, TimeSpan.FromHours(1))).Action);
    }

    /// <summary>The canary at 1 req/s with the given error rate; the baseline at 20 req/s with 0.5 % errors.</summary>
    private sealed class SplitSource(double canaryErrorRate) : ITrafficSource
    {
        public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
        {
            var canary = query.Selector.Equals(Canary);
            var requests = Math.Round((canary ? 1 : 20) * query.Window.TotalSeconds);
            var errors = Math.Round(requests * (canary ? canaryErrorRate : 0.005));
            return Task.FromResult(new TrafficSnapshot(query.End, query.Window, [new EndpointTraffic("/pay", requests, requests - errors)]));
        }
    }
}
