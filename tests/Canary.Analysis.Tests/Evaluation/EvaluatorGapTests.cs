using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>Evaluators judging a snapshot with <see cref="TrafficSnapshot.Gaps"/>: Inconclusive naming the gaps, never Pass.</summary>
public sealed class EvaluatorGapTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly DataGap Unreachable = new(DataGapKind.TargetUnreachable, "target web-2 (10.0.0.7:8080): no successful scrape");
    private static readonly DataGap Partial = new(DataGapKind.PartialResponse, "store eu-1 did not answer");
    private static readonly DataGap Missing = new(DataGapKind.MissingData, "series of /pay vanished");

    private static TrafficSnapshot Healthy(params DataGap[] gaps) => new(End, TimeSpan.FromMinutes(15), [Endpoint("/a", 1000, 990), Endpoint("/b", 1000, 999)]) { Gaps = gaps };

    private static EndpointTraffic Endpoint(string name, double requests, double successes)
    {
        var buckets = new List<(double, double)> { (0.05, successes), (0.1, requests), (double.PositiveInfinity, requests) };
        var counts = new Dictionary<StatusClass, double> { [StatusClass.Success] = successes, [StatusClass.ServerError] = requests - successes };
        return new EndpointTraffic(name, counts, SuccessRule.Status2xx, new LatencyHistogram(buckets, requests * 0.04));
    }

    [Fact]
    public void SuccessRate_WithoutGaps_Passes() =>
        Assert.Equal(Verdict.Pass, SuccessRateEvaluator.Evaluate(Healthy(), new SuccessRateCriteria()).Verdict);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SuccessRate_UnreachableTargetOrMissingData_InconclusiveNamingTheGaps_EvenWhenPartialResponsesAreAllowed(bool allowPartialResponses)
    {
        var result = SuccessRateEvaluator.Evaluate(Healthy(Unreachable, Missing), new SuccessRateCriteria { AllowPartialResponses = allowPartialResponses });

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Incomplete data (TargetUnreachable: target web-2 (10.0.0.7:8080): no successful scrape; MissingData: series of /pay vanished): no verdict on this data. Without the gaps: Weighted success rate", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Endpoints.Count);
    }

    [Fact]
    public void SuccessRate_PartialResponse_InconclusiveByDefault_JudgedWhenAllowed()
    {
        var strict = SuccessRateEvaluator.Evaluate(Healthy(Partial), new SuccessRateCriteria());
        var tolerant = SuccessRateEvaluator.Evaluate(Healthy(Partial), new SuccessRateCriteria { AllowPartialResponses = true });

        Assert.Equal(Verdict.Inconclusive, strict.Verdict);
        Assert.Contains("PartialResponse: store eu-1 did not answer", strict.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, tolerant.Verdict);
    }

    [Fact]
    public void SuccessRate_FailingDataWithGaps_IsInconclusive_KeepingWhatItWouldHaveSaid()
    {
        var snapshot = new TrafficSnapshot(End, TimeSpan.FromMinutes(15), [Endpoint("/a", 1000, 500)]) { Gaps = [Unreachable] };

        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("Without the gaps: Weighted success rate 50 % < 95 %", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0.5, result.Value, 12);
    }

    [Fact]
    public void Latency_WithoutGaps_Passes() =>
        Assert.Equal(Verdict.Pass, LatencyEvaluator.Evaluate(Healthy(), new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(200) }).Verdict);

    [Fact]
    public void Latency_CanaryGaps_Inconclusive_PartialOnlyWhenAllowed()
    {
        var criteria = new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(200) };
        var tolerant = new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(200), AllowPartialResponses = true };

        var unreachable = LatencyEvaluator.Evaluate(Healthy(Unreachable), tolerant);
        var partial = LatencyEvaluator.Evaluate(Healthy(Partial), criteria);

        Assert.Equal(Verdict.Inconclusive, unreachable.Verdict);
        Assert.Contains("TargetUnreachable: target web-2", unreachable.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, partial.Verdict);
        Assert.Equal(Verdict.Pass, LatencyEvaluator.Evaluate(Healthy(Partial), tolerant).Verdict);
    }

    [Fact]
    public void Latency_BaselineGaps_CountOnlyWhenTheBaselineIsCompared()
    {
        var compared = LatencyEvaluator.Evaluate(Healthy(), new LatencyCriteria { MaximumIncrease = 0.5 }, Healthy(Missing));
        var notCompared = LatencyEvaluator.Evaluate(Healthy(), new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(200) }, Healthy(Missing));

        Assert.Equal(Verdict.Inconclusive, compared.Verdict);
        Assert.Contains("MissingData: series of /pay vanished", compared.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, notCompared.Verdict);
    }

    [Theory]
    [InlineData(1e16)]
    [InlineData(1e19)]
    public void SuccessRate_CountsBeyond2To53_AreNotValid_Inconclusive(double requests)
    {
        var traffic = new EndpointTraffic("/a", requests, requests);
        var snapshot = new TrafficSnapshot(End, TimeSpan.FromMinutes(15), [traffic]);

        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria());

        Assert.False(traffic.HasValidCounts);
        Assert.True(double.IsNaN(traffic.SuccessRate));
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(EndpointStatus.Insufficient, result.Endpoints.Single().Status);
    }

    [Fact]
    public void EndpointTraffic_CountsUpTo2To53_AreValid()
    {
        Assert.True(new EndpointTraffic("/a", EndpointTraffic.MaximumExactCount, EndpointTraffic.MaximumExactCount).HasValidCounts);
        Assert.False(new EndpointTraffic("/a", EndpointTraffic.MaximumExactCount * 2, 0).HasValidCounts);
    }
}
