using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

public sealed class SuccessRateEvaluatorTests
{
    private static TrafficSnapshot Snapshot(params (string Endpoint, double Requests, double Successes)[] rows) =>
        new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(15), rows.Select(r => new EndpointTraffic(r.Endpoint, r.Requests, r.Successes)));

    [Fact]
    public void Evaluate_ExplicitWeights_IsWeightedSumOfEndpointRates()
    {
        var snapshot = Snapshot(("/get-something", 10_000, 9_990), ("/get-another-thing", 200, 150), ("/health", 5_000, 5_000));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/get-something"] = 0.2, ["/get-another-thing"] = 0.8 } };

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        var expected = (0.2 * (9_990.0 / 10_000)) + (0.8 * (150.0 / 200));
        Assert.Equal(expected, result.Value, 12);
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(0.95, result.Threshold);
        Assert.Contains("/get-another-thing: 75 %", result.Reason, StringComparison.Ordinal);
        var health = Assert.Single(result.Endpoints, e => e.Endpoint == "/health");
        Assert.Equal(EndpointStatus.Excluded, health.Status);
        var another = Assert.Single(result.Endpoints, e => e.Endpoint == "/get-another-thing");
        Assert.Equal((0.8, 0.75, 0.6, 200d, 150d), (another.Weight, another.Value, another.Contribution, another.Requests, another.Successes), new TupleComparer());
    }

    [Fact]
    public void Evaluate_WeightsAreRelative_ScalingThemChangesNothing()
    {
        var snapshot = Snapshot(("/a", 1000, 990), ("/b", 400, 300));
        var small = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = new EndpointWeights { ["/a"] = 0.2, ["/b"] = 0.8 } });
        var large = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = new EndpointWeights { ["/a"] = 1, ["/b"] = 4 } });

        Assert.Equal(small.Value, large.Value, 14);
    }

    [Fact]
    public void Evaluate_RareEndpointFailing_WhileAggregateLooksHealthy_Fails()
    {
        // 25 % errors on an endpoint carrying 0.3 % of the traffic: the aggregate barely moves.
        var snapshot = Snapshot(("/busy", 100_000, 99_500), ("/rare", 300, 225));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/busy"] = 0.8, ["/rare"] = 0.2 } };

        var weighted = SuccessRateEvaluator.Evaluate(snapshot, criteria);
        var aggregate = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted() });

        Assert.Equal(Verdict.Pass, aggregate.Verdict);
        Assert.Equal(99_725.0 / 100_300, aggregate.Value, 12);
        Assert.Equal(Verdict.Fail, weighted.Verdict);
        Assert.Equal((0.8 * 0.995) + (0.2 * 0.75), weighted.Value, 12);
    }

    [Fact]
    public void Evaluate_TrafficWeighted_EqualsPlainAggregate()
    {
        var snapshot = Snapshot(("/a", 1234, 1200), ("/b", 56, 50), ("/c", 7890, 7800), ("/tiny", 3, 1));

        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted() });

        Assert.Equal(snapshot.TotalSuccesses / snapshot.TotalRequests, result.Value, 14);
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(EndpointStatus.Judged, result.Endpoints.Single(e => e.Endpoint == "/tiny").Status);
    }

    [Fact]
    public void Evaluate_EqualMode_AveragesEndpointRates()
    {
        var snapshot = Snapshot(("/a", 100, 100), ("/b", 100, 90), ("/c", 1000, 970));

        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria());

        Assert.Equal((1.0 + 0.9 + 0.97) / 3, result.Value, 14);
        Assert.All(result.Endpoints, e => Assert.Equal(1.0 / 3, e.Weight, 14));
    }

    [Fact]
    public void Evaluate_DefaultWeightForUnlistedEndpoints()
    {
        var snapshot = Snapshot(("/pay", 100, 80), ("/a", 100, 100), ("/b", 100, 100));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/pay"] = 2, DefaultWeight = 1 } };

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        Assert.Equal(((2 * 0.8) + 1 + 1) / 4, result.Value, 14);
    }

    [Fact]
    public void Evaluate_RareEndpointWithZeroRequests_IsInconclusiveNamingIt()
    {
        var snapshot = Snapshot(("/busy", 100_000, 99_990));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/busy"] = 0.8, ["/rare"] = 0.2 } };

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.True(double.IsNaN(result.Value));
        Assert.Contains("/rare (n=0, needs 50)", result.Reason, StringComparison.Ordinal);
        var rare = result.Endpoints.Single(e => e.Endpoint == "/rare");
        Assert.Equal(EndpointStatus.Insufficient, rare.Status);
        Assert.Equal(0.2, rare.Weight, 14);
        Assert.True(double.IsNaN(rare.Contribution));
    }

    [Fact]
    public void Evaluate_TooFewRequests_InconclusiveEvenWhenAllSucceed()
    {
        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 3, 3)), new SuccessRateCriteria());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
    }

    [Fact]
    public void Evaluate_InsufficientEndpoint_FailsWhenEvenPerfectCouldNotPass()
    {
        // /a carries 90 % of the weight at 50 %: at most 0.9·0.5 + 0.1 = 55 %.
        var snapshot = Snapshot(("/a", 1000, 500), ("/b", 2, 2));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/a"] = 9, ["/b"] = 1 } };

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Contains("at most 55 %", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EndpointFloor_FailsEvenWhenWeightedRatePasses()
    {
        var snapshot = Snapshot(("/a", 10_000, 10_000), ("/b", 100, 96));
        var criteria = new SuccessRateCriteria { Weights = new EndpointWeights { ["/a"] = 99, ["/b"] = 1 } };
        criteria.EndpointMinimumSuccessRates["/b"] = 0.99;

        var result = SuccessRateEvaluator.Evaluate(snapshot, criteria);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal("/b: 96 % < 99 % endpoint floor (n=100).", result.Reason);
        Assert.Equal(EndpointStatus.LimitBreached, result.Endpoints.Single(e => e.Endpoint == "/b").Status);
        Assert.Equal((99 * 1.0 + 0.96) / 100, result.Value, 14);
    }

    [Fact]
    public void Evaluate_GlobalEndpointFloor_AppliesToEveryJudgedEndpoint()
    {
        var criteria = new SuccessRateCriteria { MinimumEndpointSuccessRate = 0.9, MinimumSuccessRate = 0.5 };
        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 100, 100), ("/b", 100, 85)), criteria);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.StartsWith("/b: 85 % < 90 %", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_InvalidCounts_InconclusiveNeverPass()
    {
        var broken = new EndpointTraffic("/a", new Dictionary<StatusClass, double> { [StatusClass.Success] = 100, [StatusClass.ServerError] = double.NaN });
        var snapshot = new TrafficSnapshot(default, TimeSpan.FromMinutes(1), [broken, new EndpointTraffic("/b", 100, 100)]);

        Assert.Equal(Verdict.Inconclusive, SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria()).Verdict);
        Assert.Equal(Verdict.Inconclusive, SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted() }).Verdict);
    }

    [Fact]
    public void Evaluate_EmptySnapshot_Inconclusive()
    {
        var result = SuccessRateEvaluator.Evaluate(Snapshot(), new SuccessRateCriteria());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("No evidence", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WeightsSelectNothing_Inconclusive()
    {
        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 100, 100)), new SuccessRateCriteria { Weights = new EndpointWeights() });

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("judge none of the 1 endpoints", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TrafficWeighted_TooFewRequestsInAll_Inconclusive()
    {
        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 20, 20), ("/b", 20, 20)), new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted() });

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("40 requests in all", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExactlyAtThreshold_Passes()
    {
        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 100, 95)), new SuccessRateCriteria());
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal("Weighted success rate 95 % ≥ 95 % over 1 endpoint(s).", result.Reason);
    }

    [Fact]
    public void Evaluate_ZeroWeightExcludesEvenInEqualMode()
    {
        var weights = EndpointWeights.Equal();
        weights["/health"] = 0;

        var result = SuccessRateEvaluator.Evaluate(Snapshot(("/a", 100, 100), ("/health", 100, 0)), new SuccessRateCriteria { Weights = weights });

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(EndpointStatus.Excluded, result.Endpoints.Single(e => e.Endpoint == "/health").Status);
    }

    [Theory]
    [InlineData(1.5, 50, "SuccessRateCriteria.MinimumSuccessRate must be between 0 and 1, not 1.5.")]
    [InlineData(double.NaN, 50, "SuccessRateCriteria.MinimumSuccessRate must be between 0 and 1, not NaN.")]
    [InlineData(0.95, 0, "SuccessRateCriteria.MinimumRequestsPerEndpoint must be a finite number ≥ 1, not 0.")]
    public void Evaluate_InvalidCriteria_ThrowsNamingSettingAndValue(double rate, double minimum, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => SuccessRateEvaluator.Evaluate(Snapshot(), new SuccessRateCriteria { MinimumSuccessRate = rate, MinimumRequestsPerEndpoint = minimum }));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointWeights_NegativeWeight_ThrowsNamingEndpoint()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EndpointWeights { ["/pay"] = -1 });
        Assert.Contains("EndpointWeights[\"/pay\"] must be a finite number ≥ 0, not -1.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_InvalidFloor_ThrowsNamingEndpoint()
    {
        var criteria = new SuccessRateCriteria();
        criteria.EndpointMinimumSuccessRates["/b"] = 2;
        var ex = Assert.Throws<ArgumentException>(() => SuccessRateEvaluator.Evaluate(Snapshot(), criteria));
        Assert.StartsWith("SuccessRateCriteria.EndpointMinimumSuccessRates[\"/b\"] must be between 0 and 1, not 2.", ex.Message, StringComparison.Ordinal);
    }

    private sealed class TupleComparer : IEqualityComparer<(double, double, double, double, double)>
    {
        public bool Equals((double, double, double, double, double) x, (double, double, double, double, double) y) =>
            Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12 && Math.Abs(x.Item3 - y.Item3) < 1e-12 &&
            x.Item4 == y.Item4 && x.Item5 == y.Item5;

        public int GetHashCode((double, double, double, double, double) obj) => 0;
    }
}
