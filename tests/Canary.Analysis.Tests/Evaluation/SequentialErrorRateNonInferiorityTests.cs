using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// What a Pass of <see cref="SequentialErrorRateEvaluator"/> proves: the weighted success rate at most
/// <see cref="SequentialErrorRateCriteria.NonInferiorityMargin"/> below the baseline's (<see cref="NonInferiorityBound"/>),
/// stated in the result; never for an endpoint without baseline traffic; and the state the time estimate needs.
/// </summary>
public sealed class SequentialErrorRateNonInferiorityTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly SequentialErrorRateCriteria Weighted = new() { Weights = new EndpointWeights { ["/pay"] = 3, ["/search"] = 1 } };

    private static CheckResult Look(SequentialErrorRateEvaluator evaluator, int minute, params (string Endpoint, long CanaryRequests, long CanaryErrors, long BaselineRequests, long BaselineErrors)[] counts)
    {
        var end = Start + (Minute * minute);
        TrafficSnapshot Snapshot(bool canary) => new(end, Minute, counts.Select(c => canary
            ? new EndpointTraffic(c.Endpoint, c.CanaryRequests, c.CanaryRequests - c.CanaryErrors)
            : new EndpointTraffic(c.Endpoint, c.BaselineRequests, c.BaselineRequests - c.BaselineErrors)));
        return evaluator.Add(Snapshot(true), Snapshot(false), end - Minute, end);
    }

    [Fact]
    public void Pass_StatesTheProvenBound_InTheValueReasonAndRows()
    {
        var evaluator = new SequentialErrorRateEvaluator(Weighted);

        // One window cannot tell whether its errors arrived in a few bursts (then 20 000 canary requests without many errors prove
        // little): the bound reads each endpoint's counts with its window's errors as the burst size, and is not proven.
        var first = Look(evaluator, 1, ("/pay", 20000, 100, 380000, 1900), ("/search", 20000, 90, 380000, 1900));
        Assert.Equal(Verdict.Inconclusive, first.Verdict);
        Assert.Equal(Widened(100, 20000, 1900, 380000, 0.75, 2000), first.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 12);

        // A second window as steady as the first: the errors do not cluster (the estimate reads 1), and the bound is proven.
        var result = Look(evaluator, 2, ("/pay", 20000, 100, 380000, 1900), ("/search", 20000, 90, 380000, 1900));

        // The oracle: each endpoint's canary upper and baseline lower bounds at α × its share / 2, weighted by share.
        var pay = Widened(200, 40000, 3800, 760000, 0.75, 1);
        var search = Widened(180, 40000, 3800, 760000, 0.25, 1);
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal((0.75 * pay) + (0.25 * search), result.SuccessRateDropBound, 14);
        Assert.Equal(pay, result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 14);
        Assert.Equal(search, result.Endpoints.Single(e => e.Endpoint == "/search").SuccessRateDropBound, 14);
        Assert.InRange(result.SuccessRateDropBound, 0.001, 0.01);
        Assert.StartsWith($"Shown not worse than the baseline by more than 1 point: the weighted success rate is at most {result.SuccessRateDropBound * 100:0.##} points below the baseline's (95 % always-valid bound; margin 1 point); no alarm", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsInBursts_TheBoundReadsTheCountsWithTheEstimatedDispersion()
    {
        var evaluator = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/pay"] = 3, ["/a"] = 1, ["/b"] = 1, ["/c"] = 1 } });
        CheckResult result = null!;

        // Each minute one endpoint of four has a burst (both versions at the same rate), the others none: each endpoint's
        // windows are far more variable than independent errors would be.
        string[] endpoints = ["/pay", "/a", "/b", "/c"];
        for (var minute = 1; minute <= 40; minute++)
        {
            var bursting = endpoints[minute % 4];
            result = Look(evaluator, minute, [.. endpoints.Select(e => e == bursting ? (e, 1000L, 6L, 19000L, 114L) : (e, 1000L, 0L, 19000L, 0L))]);
        }

        var phi = BurstTempering.Pooled([.. evaluator.State.Endpoints.Select(e => e.Dispersion)]);
        Assert.InRange(phi, 20, 200);
        var pay = evaluator.State.Endpoints.Single(e => e.Endpoint == "/pay");
        Assert.Equal(
            Widened(pay.CanaryErrors, pay.CanaryRequests, pay.BaselineErrors, pay.BaselineRequests, 0.5, phi),
            result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 12);
        Assert.True(
            result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound > 2 * Widened(pay.CanaryErrors, pay.CanaryRequests, pay.BaselineErrors, pay.BaselineRequests, 0.5, 1),
            "read as independent errors, the same counts prove far more");

        // The dispersion is part of the saved evidence: a restarted evaluator (state through JSON, a new object) states the same bound.
        var json = JsonSerializer.Serialize(evaluator.State, EvidenceJsonContext.Default.SequentialErrorRateState);
        var resumed = new SequentialErrorRateEvaluator(evaluator.Criteria, JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialErrorRateState));
        Assert.Equal(result.SuccessRateDropBound, resumed.Result().SuccessRateDropBound);
    }

    [Fact]
    public void OnlySharedOutages_NoEstimate_TheirErrorsCountAsOneBurst()
    {
        var evaluator = new SequentialErrorRateEvaluator(Weighted);
        CheckResult result = null!;

        // Every other minute both endpoints fail together (a shared outage, left out of the dispersion's sums): nothing is
        // left to estimate the clustering from, and the outages' errors are read as one burst.
        for (var minute = 1; minute <= 20; minute++)
        {
            var (canary, baseline) = minute % 2 == 0 ? (6L, 114L) : (0L, 0L);
            result = Look(evaluator, minute, ("/pay", 1000, canary, 19000, baseline), ("/search", 1000, canary, 19000, baseline));
        }

        var pay = evaluator.State.Endpoints.Single(e => e.Endpoint == "/pay");
        Assert.True(double.IsPositiveInfinity(BurstTempering.Pooled([.. evaluator.State.Endpoints.Select(e => e.Dispersion)])));
        Assert.True(pay.OutageErrors > 0);
        Assert.Equal(
            Widened(pay.CanaryErrors, pay.CanaryRequests, pay.BaselineErrors, pay.BaselineRequests, 0.75, pay.OutageErrors),
            result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 12);
        Assert.NotEqual(Verdict.Pass, result.Verdict);
    }

    [Fact]
    public void DispersionNotEstimated_ErrorsTakenAsIndependent_OneLookMayProve()
    {
        var evaluator = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = Weighted.Weights, EstimateErrorDispersion = false });

        var result = Look(evaluator, 1, ("/pay", 20000, 100, 380000, 1900), ("/search", 20000, 90, 380000, 1900));

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(Widened(100, 20000, 1900, 380000, 0.75, 1), result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 14);
    }

    /// <summary>The oracle for one endpoint: canary upper minus baseline lower bound at α × share / 2, on counts / φ.</summary>
    private static double Widened(double canaryErrors, double canaryRequests, double baselineErrors, double baselineRequests, double share, double phi) =>
        BinomialConfidenceSequence.Upper(canaryErrors / phi, canaryRequests / phi, 0.05 * share / 2)
        - BinomialConfidenceSequence.Lower(baselineErrors / phi, baselineRequests / phi, 0.05 * share / 2);

    [Fact]
    public void NotYetProven_Inconclusive_WithTheBound_TheWidestEndpoint_AndTheTimeStillNeeded()
    {
        var evaluator = new SequentialErrorRateEvaluator(Weighted);

        CheckResult result = null!;
        for (var minute = 1; minute <= 3; minute++)
        {
            result = Look(evaluator, minute, ("/pay", 100, 0, 1900, 10), ("/search", 2000, 10, 38000, 190));
        }

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.True(result.SuccessRateDropBound > 0.01);
        Assert.Matches(@"^No regression seen so far, but not yet shown within the margin: the weighted success rate is at most [0-9.]+ points below the baseline's \(95 % always-valid bound; margin 1 point; widest: /pay, [0-9.]+ points of it\); needs ~\d+ (h|min)", result.Reason);

        // Projected at this traffic, the stated time is enough: the same traffic that long proves the margin.
        var match = System.Text.RegularExpressions.Regex.Match(result.Reason, @"needs ~(?:(\d+) h)? ?(?:(\d+) min)? more at this traffic\.$");
        Assert.True(match.Success, result.Reason);
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var minutes = (60 * Part(1)) + Part(2);
        Assert.InRange(minutes, 1, 24 * 60);
        var after = Look(evaluator, 4, ("/pay", 100 * minutes, minutes / 2, 1900 * minutes, 10 * minutes), ("/search", 2000 * minutes, 10 * minutes, 38000 * minutes, 190 * minutes));
        Assert.Equal(Verdict.Pass, after.Verdict);
    }

    [Fact]
    public void AnEndpointWithoutBaselineTraffic_IsNeverProven_HoweverSmallItsBound()
    {
        var evaluator = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { NonInferiorityMargin = 0.5 });

        var result = Look(evaluator, 1, ("/new", 100000, 0, 0, 0), ("/old", 100000, 500, 1900000, 9500));

        Assert.True(result.SuccessRateDropBound < 0.5, result.SuccessRateDropBound.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("No baseline traffic to compare with", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_NonInferiorityMargin_MessageNamesTheValue(double margin)
    {
        var ex = Assert.Throws<ArgumentException>(new SequentialErrorRateCriteria { NonInferiorityMargin = margin }.Validate);

        Assert.Equal(FormattableString.Invariant($"SequentialErrorRateCriteria.NonInferiorityMargin must be a success-rate difference in (0, 1) (0.01 = 1 point), not {margin}."), ex.Message);
    }

    [Fact]
    public void State_KeepsTheFirstWindowsStart_ThroughJson_AndValidatesIt()
    {
        var evaluator = new SequentialErrorRateEvaluator(Weighted);
        Look(evaluator, 1, ("/pay", 100, 0, 1900, 10));
        Look(evaluator, 2, ("/pay", 100, 0, 1900, 10));

        var state = evaluator.State;
        var json = JsonSerializer.Serialize(state, EvidenceJsonContext.Default.SequentialErrorRateState);
        Assert.Equal(Start, state.Since);
        Assert.Equal(state, JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialErrorRateState));
        var ex = Assert.Throws<ArgumentException>(() => evaluator.State = state with { Since = state.LastLook });
        Assert.Contains("the first window's start is not before the last look", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (SequentialErrorRateState.Initial(Weighted) with { Since = Start }).Validate());
    }

    [Fact]
    public void StateSavedWithoutTheFirstWindowsStart_StillJudges_WithoutTheTimeEstimate()
    {
        var evaluator = new SequentialErrorRateEvaluator(Weighted);
        Look(evaluator, 1, ("/pay", 100, 0, 1900, 10), ("/search", 100, 0, 1900, 10));
        var resumed = new SequentialErrorRateEvaluator(Weighted, evaluator.State with { Since = null });

        var result = resumed.Result();

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.DoesNotContain("needs ~", result.Reason, StringComparison.Ordinal);
        Assert.Matches(@"; widest: /pay, [0-9.]+ points of it\)\.$", result.Reason);
    }
}
