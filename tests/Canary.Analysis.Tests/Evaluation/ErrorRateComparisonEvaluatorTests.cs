using System.Text.Json;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Tests.Statistics.Reference;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// The fixed-sample per-endpoint comparison, on R's vectors (r-proportions.json: <c>fisher.test</c> and <c>prop.test</c> with
/// <c>alternative = "less"</c>: the canary succeeds less often), plus the α split and the fail-safe rules.
/// </summary>
public sealed class ErrorRateComparisonEvaluatorTests
{
    private static readonly DateTimeOffset End = new(2026, 1, 1, 0, 15, 0, TimeSpan.Zero);

    public static IEnumerable<object[]> FisherLess => Cases("fisher", c => true);

    public static IEnumerable<object[]> PropTestLess => Cases("prop_two", c => c.GetProperty("correct").GetBoolean() && double.IsFinite(c.Number("p_value")));

    internal static TrafficSnapshot Snapshot(params (string Endpoint, double Requests, double Successes)[] rows) =>
        new(End, TimeSpan.FromMinutes(13), rows.Select(r => new EndpointTraffic(r.Endpoint, r.Requests, r.Successes)));

    private static IEnumerable<object[]> Cases(string section, Func<JsonElement, bool> keep) =>
        RReference.ProportionIndices(section)
            .Select(i => RReference.Proportions.GetProperty(section)[(int)i[0]])
            .Where(c => c.GetProperty("alternative").GetString() == "less" && c.Number("conf_level") == 0.95 && keep(c))
            .Select(c => new object[] { c.Number("x1"), c.Number("n1"), c.Number("x2"), c.Number("n2"), c.Number("p_value") });

    [Fact]
    public void Result_StatesItsPValueAgainstAlpha_AsItsEvidence()
    {
        var result = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", 400, 380), ("/search", 900, 899)), Snapshot(("/pay", 8000, 7990), ("/search", 18000, 17990)), new ErrorRateComparisonCriteria());

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal((EvidenceKind.PValue, result.Value, result.Threshold), (result.EvidenceKind, result.EvidenceValue, result.EvidenceBoundary));
        Assert.True(result.EvidenceValue <= result.EvidenceBoundary);
        Assert.Null(result.TimeNeeded);
    }

    [Theory]
    [MemberData(nameof(FisherLess))]
    public void OneEndpoint_FisherPValueIsRs_AndFailsAtAlpha(double x1, double n1, double x2, double n2, double p)
    {
        var result = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", n1, x1)), Snapshot(("/pay", n2, x2)), new ErrorRateComparisonCriteria { MinimumRequestsPerEndpoint = 1 });

        RReference.Close(p, result.Value, 1e-300, 1e-12, "p-value");
        Assert.Equal(p <= 0.05 ? Verdict.Fail : Verdict.Pass, result.Verdict);
        Assert.Equal(0.05, result.Threshold);
    }

    [Theory]
    [MemberData(nameof(PropTestLess))]
    public void OneEndpoint_ChiSquaredPValueIsRs(double x1, double n1, double x2, double n2, double p)
    {
        var result = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", n1, x1)), Snapshot(("/pay", n2, x2)), new ErrorRateComparisonCriteria { MinimumRequestsPerEndpoint = 1, Exact = false });

        RReference.Close(p, result.Value, 1e-300, 1e-12, "p-value");
    }

    [Fact]
    public void AlphaIsSplitByWeight_TheReasonCarriesTheNumbers()
    {
        // R: fisher.test(matrix(c(295, 5, 5672, 28), 2), alternative = "less")$p.value = 0.02267: below 0.05 × 1/2, above 0.05 × 1/4.
        var canary = Snapshot(("/pay", 300, 295), ("/search", 300, 300));
        var baseline = Snapshot(("/pay", 5700, 5672), ("/search", 5700, 5672));

        var equal = ErrorRateComparisonEvaluator.Evaluate(canary, baseline, new ErrorRateComparisonCriteria());
        Assert.Equal(Verdict.Fail, equal.Verdict);
        Assert.Equal(0.025, equal.Threshold, 15);
        Assert.StartsWith("/pay: canary errors 5/300 (1.667 %) vs baseline 28/5700 (0.491 %): one-sided Fisher's exact test p = 0.0227 ≤ α 0.025 (α 0.05 split over 2 endpoints by weight)", equal.Reason, StringComparison.Ordinal);
        var pay = equal.Endpoints.Single(r => r.Endpoint == "/pay");
        Assert.Equal((EndpointStatus.LimitBreached, 0.5, (double?)0.025), (pay.Status, pay.Weight, pay.Limit));

        var searchMatters = ErrorRateComparisonEvaluator.Evaluate(canary, baseline, new ErrorRateComparisonCriteria { Weights = new EndpointWeights { ["/pay"] = 1, ["/search"] = 3 } });
        Assert.Equal(Verdict.Pass, searchMatters.Verdict);
        Assert.Contains("closest: /pay: canary errors 5/300 (1.667 %) vs baseline 28/5700 (0.491 %), p = 0.0227 > α 0.0125", searchMatters.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortOfData_NoBaseline_InvalidCounts_AndGaps_AreInconclusive()
    {
        var criteria = new ErrorRateComparisonCriteria();
        var few = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", 20, 20)), Snapshot(("/pay", 5700, 5672)), criteria);
        Assert.Equal(Verdict.Inconclusive, few.Verdict);
        Assert.Contains("/pay (n=20, needs 50)", few.Reason, StringComparison.Ordinal);

        var noBaseline = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", 300, 300)), Snapshot(), criteria);
        Assert.Equal(Verdict.Inconclusive, noBaseline.Verdict);
        Assert.Contains("/pay (no baseline traffic)", noBaseline.Reason, StringComparison.Ordinal);

        var invalid = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/pay", double.NaN, 300)), Snapshot(("/pay", 5700, 5672)), criteria);
        Assert.Equal(Verdict.Inconclusive, invalid.Verdict);

        var expected = ErrorRateComparisonEvaluator.Evaluate(Snapshot(("/search", 300, 300)), Snapshot(("/search", 300, 300)), new ErrorRateComparisonCriteria { Weights = new EndpointWeights { ["/pay"] = 1, ["/search"] = 1 } });
        Assert.Equal(Verdict.Inconclusive, expected.Verdict);

        var gapped = new TrafficSnapshot(End, TimeSpan.FromMinutes(13), [new EndpointTraffic("/pay", 300, 300)]) { Gaps = [new DataGap(DataGapKind.TargetUnreachable, "web-2 refused")] };
        var gaps = ErrorRateComparisonEvaluator.Evaluate(gapped, Snapshot(("/pay", 300, 300)), criteria);
        Assert.Equal(Verdict.Inconclusive, gaps.Verdict);
        Assert.Contains("web-2 refused", gaps.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ExactTest_FailsARareEndpointBeforeItsMinimum_ChiSquaredWaits()
    {
        // R: fisher.test(matrix(c(0, 3, 7, 0), 2), alternative = "less")$p.value = 0.00833: 3 canary requests all failed.
        var canary = Snapshot(("/rare", 3, 0));
        var baseline = Snapshot(("/rare", 7, 7));

        Assert.Equal(Verdict.Fail, ErrorRateComparisonEvaluator.Evaluate(canary, baseline, new ErrorRateComparisonCriteria()).Verdict);
        Assert.Equal(Verdict.Inconclusive, ErrorRateComparisonEvaluator.Evaluate(canary, baseline, new ErrorRateComparisonCriteria { Exact = false }).Verdict);
    }

    [Fact]
    public void InvalidCriteria_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ErrorRateComparisonCriteria { Weights = EndpointWeights.TrafficWeighted() }.Validate());
        Assert.Contains("Alpha", Assert.Throws<ArgumentException>(() => new ErrorRateComparisonCriteria { Alpha = 1 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ErrorRateComparisonCriteria { MinimumRequestsPerEndpoint = 0 }.Validate());
    }
}
