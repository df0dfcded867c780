using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Analysis;

public sealed class QueryCheckWarningsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static FakeMetricProvider Answer(double value, params string[] warnings) => new(q => new MetricQueryResult(q, MetricResultType.Vector,
        [new MetricSeries(new Dictionary<string, string>(), [new MetricSample(Now, value)])], warnings));

    [Fact]
    public async Task MeasureAsync_PartialResponse_InconclusiveNamingTheWarning_NeverPass()
    {
        var check = new QueryCheck("sr", Answer(0.999, "PromQL: partial response: store eu-1 unavailable"), "x", Threshold.AtLeast(0.99));

        var result = await check.MeasureAsync(Now);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal("Incomplete data (server warnings: PromQL: partial response: store eu-1 unavailable): no verdict on this data. Without the warnings: 0.999 ≥ 0.99.", result.Reason);
        Assert.Equal(0.999, result.Value);
    }

    [Fact]
    public async Task MeasureAsync_Warnings_JudgedWhenPartialResponsesAreAllowed()
    {
        var pass = new QueryCheck("sr", Answer(0.999, "partial response"), "x", Threshold.AtLeast(0.99)) { AllowPartialResponses = true };
        var fail = new QueryCheck("sr", Answer(0.5, "partial response"), "x", Threshold.AtLeast(0.99)) { AllowPartialResponses = true };
        var clean = new QueryCheck("sr", Answer(0.999), "x", Threshold.AtLeast(0.99));

        Assert.Equal(Verdict.Pass, (await pass.MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Fail, (await fail.MeasureAsync(Now)).Verdict);
        Assert.Equal(Verdict.Pass, (await clean.MeasureAsync(Now)).Verdict);
    }
}
