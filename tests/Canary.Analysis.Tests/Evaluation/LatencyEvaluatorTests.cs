using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

public sealed class LatencyEvaluatorTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>An endpoint whose requests are spread evenly over (0, 2·median] seconds: p50 = median, p99 = 1.98 · median.</summary>
    private static EndpointTraffic Endpoint(string name, double requests, double median)
    {
        var buckets = new List<(double, double)>();
        for (var i = 1; i <= 100; i++)
        {
            buckets.Add((2 * median * i / 100, requests * i / 100));
        }

        buckets.Add((double.PositiveInfinity, requests));
        return new EndpointTraffic(name, new Dictionary<StatusClass, double> { [StatusClass.Success] = requests }, SuccessRule.Status2xx, new LatencyHistogram(buckets, requests * median));
    }

    private static TrafficSnapshot Snapshot(params EndpointTraffic[] endpoints) => new(End, TimeSpan.FromMinutes(15), endpoints);

    [Fact]
    public void Evaluate_AbsoluteLimit_FailsTheSlowEndpointNamingIt()
    {
        var canary = Snapshot(Endpoint("/fast", 1000, 0.010), Endpoint("/slow", 500, 0.200));
        var criteria = new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(250) };

        var result = LatencyEvaluator.Evaluate(canary, criteria);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(0.5, result.Value, 12);
        Assert.Equal("/slow: p99 396 ms > 250 ms limit (n=500, weight 50 %).", result.Reason);
        var slow = result.Endpoints.Single(e => e.Endpoint == "/slow");
        Assert.Equal((EndpointStatus.LimitBreached, 0.396, 0.25, 0d), (slow.Status, Math.Round(slow.Value, 9), slow.Limit!.Value, slow.Contribution));
    }

    [Fact]
    public void Evaluate_EndpointLimitOverridesDefault()
    {
        var canary = Snapshot(Endpoint("/fast", 1000, 0.010), Endpoint("/report", 500, 0.200));
        var criteria = new LatencyCriteria { MaximumLatency = TimeSpan.FromMilliseconds(250) };
        criteria.EndpointMaximumLatencies["/report"] = TimeSpan.FromSeconds(1);

        var result = LatencyEvaluator.Evaluate(canary, criteria);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal("P99 latency within limits on 100 % of the weight (2 endpoint(s)).", result.Reason);
    }

    [Fact]
    public void Evaluate_RelativeToBaseline_ToleranceAndSlack()
    {
        // p99s: /a 198 → 227.7 ms is within +20 %; /b 1.98 → 5.94 ms is 3× slower but within the 5 ms slack; /c 198 → 257.4 ms fails.
        var baseline = Snapshot(Endpoint("/a", 1000, 0.100), Endpoint("/b", 1000, 0.001), Endpoint("/c", 1000, 0.100));
        var canary = Snapshot(Endpoint("/a", 100, 0.115), Endpoint("/b", 100, 0.003), Endpoint("/c", 100, 0.130));
        var criteria = new LatencyCriteria { MaximumIncrease = 0.2 };

        var result = LatencyEvaluator.Evaluate(canary, criteria, baseline);

        Assert.Equal(Verdict.Fail, result.Verdict);
        var rows = result.Endpoints.ToDictionary(e => e.Endpoint);
        Assert.Equal(EndpointStatus.Judged, rows["/a"].Status);
        Assert.Equal(EndpointStatus.Judged, rows["/b"].Status);
        Assert.Equal(EndpointStatus.LimitBreached, rows["/c"].Status);
        Assert.Equal((0.198 * 1.2) + 0.005, rows["/c"].Limit!.Value, 12);
        Assert.Equal(0.198, rows["/c"].BaselineValue, 12);
        Assert.StartsWith("/c: p99 257.4 ms > 242.6 ms limit (n=100, baseline 198 ms", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Mean_UsesSumOverCount()
    {
        var canary = Snapshot(Endpoint("/a", 1000, 0.300));
        var result = LatencyEvaluator.Evaluate(canary, new LatencyCriteria { Measure = LatencyMeasure.Mean, MaximumLatency = TimeSpan.FromMilliseconds(250) });

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(0.3, result.Endpoints[0].Value, 12);
        Assert.StartsWith("/a: mean 300 ms > 250 ms", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WeightedEndpointWithoutEnoughRequests_Inconclusive()
    {
        var canary = Snapshot(Endpoint("/busy", 10_000, 0.010), Endpoint("/rare", 4, 0.010));
        var criteria = new LatencyCriteria { MaximumLatency = TimeSpan.FromSeconds(1), Weights = new EndpointWeights { ["/busy"] = 1, ["/rare"] = 1, ["/absent"] = 1 } };

        var result = LatencyEvaluator.Evaluate(canary, criteria);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("/rare (n=4, needs 50)", result.Reason, StringComparison.Ordinal);
        Assert.Contains("/absent (n=0, needs 50)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoHistogram_InconclusiveNamingWhy()
    {
        var canary = Snapshot(new EndpointTraffic("/a", 1000, 1000));
        var result = LatencyEvaluator.Evaluate(canary, new LatencyCriteria { MaximumLatency = TimeSpan.FromSeconds(1) });

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal("Not enough evidence: /a (no latency histogram).", result.Reason);
    }

    [Fact]
    public void Evaluate_BaselineTooSmallToCompare_Inconclusive()
    {
        var baseline = Snapshot(Endpoint("/a", 10, 0.100));
        var canary = Snapshot(Endpoint("/a", 1000, 0.100));

        var result = LatencyEvaluator.Evaluate(canary, new LatencyCriteria { MaximumIncrease = 0.1 }, baseline);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("/a (baseline n=10, needs 50)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BreachOnHeavyEndpoint_FailsEvenWithOthersInsufficient()
    {
        var canary = Snapshot(Endpoint("/pay", 1000, 2.0), Endpoint("/rare", 2, 0.010));
        var criteria = new LatencyCriteria { MaximumLatency = TimeSpan.FromSeconds(1), Weights = new EndpointWeights { ["/pay"] = 0.8, ["/rare"] = 0.2 } };

        Assert.Equal(Verdict.Fail, LatencyEvaluator.Evaluate(canary, criteria).Verdict);
    }

    [Fact]
    public void Evaluate_MinimumPassingWeight_ToleratesLightBreaches()
    {
        var canary = Snapshot(Endpoint("/a", 1000, 0.010), Endpoint("/b", 1000, 0.010), Endpoint("/slow", 1000, 5));
        var criteria = new LatencyCriteria
        {
            MaximumLatency = TimeSpan.FromSeconds(1),
            MinimumPassingWeight = 0.9,
            Weights = new EndpointWeights { ["/a"] = 0.5, ["/b"] = 0.45, ["/slow"] = 0.05 },
        };

        var result = LatencyEvaluator.Evaluate(canary, criteria);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(0.95, result.Value, 12);
        Assert.Contains("1 endpoint(s) over their limit carry 5 % of the weight", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RelativeWithoutBaseline_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => LatencyEvaluator.Evaluate(Snapshot(), new LatencyCriteria { MaximumIncrease = 0.1 }));
        Assert.Equal("baseline", ex.ParamName);
    }

    [Theory]
    [InlineData(null, null, 0.99, "LatencyCriteria needs a limit")]
    [InlineData(100.0, null, 1.5, "LatencyCriteria.Quantile must be between 0 and 1, not 1.5.")]
    [InlineData(-5.0, null, 0.99, "LatencyCriteria.MaximumLatency must be positive")]
    [InlineData(null, -0.1, 0.99, "LatencyCriteria.MaximumIncrease must be a finite fraction ≥ 0, not -0.1.")]
    public void Validate_InvalidCriteria_NamesSettingAndValue(double? maximumMs, double? increase, double quantile, string message)
    {
        var criteria = new LatencyCriteria { Quantile = quantile, MaximumIncrease = increase, MaximumLatency = maximumMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null };
        var ex = Assert.Throws<ArgumentException>(criteria.Validate);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
