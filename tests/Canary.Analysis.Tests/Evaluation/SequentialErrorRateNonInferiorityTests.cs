using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
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

        var result = Look(evaluator, 1, ("/pay", 20000, 100, 380000, 1900), ("/search", 20000, 90, 380000, 1900));

        // The oracle: each endpoint's canary upper and baseline lower bounds at α × its share / 2, weighted by share.
        var pay = BinomialConfidenceSequence.Upper(100, 20000, 0.05 * 0.75 / 2) - BinomialConfidenceSequence.Lower(1900, 380000, 0.05 * 0.75 / 2);
        var search = BinomialConfidenceSequence.Upper(90, 20000, 0.05 * 0.25 / 2) - BinomialConfidenceSequence.Lower(1900, 380000, 0.05 * 0.25 / 2);
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal((0.75 * pay) + (0.25 * search), result.SuccessRateDropBound, 14);
        Assert.Equal(pay, result.Endpoints.Single(e => e.Endpoint == "/pay").SuccessRateDropBound, 14);
        Assert.Equal(search, result.Endpoints.Single(e => e.Endpoint == "/search").SuccessRateDropBound, 14);
        Assert.InRange(result.SuccessRateDropBound, 0.001, 0.01);
        Assert.StartsWith($"Shown not worse than the baseline by more than 1 point: the weighted success rate is at most {result.SuccessRateDropBound * 100:0.##} points below the baseline's (95 % always-valid bound; margin 1 point); no alarm", result.Reason, StringComparison.Ordinal);
    }

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
