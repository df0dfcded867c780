using Canary.Analysis.Evaluation;
using Canary.Analysis.Statistics;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

public sealed class SequentialErrorRateEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>One look's counts for one endpoint: canary requests and errors, baseline requests and errors.</summary>
    private readonly record struct Counts(string Endpoint, long CanaryRequests, long CanaryErrors, long BaselineRequests, long BaselineErrors);

    private static Task<CheckResult> Run(SequentialErrorRateCriteria criteria, params Counts[][] looks)
    {
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        CheckResult? last = null;
        for (var i = 0; i < looks.Length; i++)
        {
            var end = Start + (Minute * (i + 1));
            last = evaluator.Add(Snapshot(looks[i], end, canary: true), Snapshot(looks[i], end, canary: false), end - Minute, end);
        }

        return Task.FromResult(last!);
    }

    /// <summary>One version's traffic of one look.</summary>
    private static TrafficSnapshot Snapshot(Counts[] look, DateTimeOffset end, bool canary) =>
        new(end, Minute, look.Select(c => canary
            ? new EndpointTraffic(c.Endpoint, c.CanaryRequests, c.CanaryRequests - c.CanaryErrors)
            : new EndpointTraffic(c.Endpoint, c.BaselineRequests, c.BaselineRequests - c.BaselineErrors)));

    /// <summary>
    /// The test's own statement of the evidence: a rate ratio ρ on a 24-point log grid; per stratum and look the conditional
    /// likelihood ratio ρ^e_canary / (1 + s(ρ − 1))^(e_canary + e_baseline) with s the canary's share of that look's requests.
    /// </summary>
    private static double Mixture(IEnumerable<IEnumerable<Counts>> looksOfStrata, double minRatio, double maxRatio)
    {
        var sum = 0.0;
        for (var j = 0; j < 24; j++)
        {
            var rho = Math.Exp(Math.Log(minRatio) + ((Math.Log(maxRatio) - Math.Log(minRatio)) * j / 23));
            var lr = 1.0;
            foreach (var c in looksOfStrata.SelectMany(l => l))
            {
                var s = (double)c.CanaryRequests / (c.CanaryRequests + c.BaselineRequests);
                lr *= Math.Pow(rho, c.CanaryErrors) / Math.Pow(1 + (s * (rho - 1)), c.CanaryErrors + c.BaselineErrors);
            }

            sum += lr;
        }

        return sum / 24;
    }

    [Fact]
    public async Task MeasureAsync_Value_IsTheAverageOfEndpointAndServiceWideEValuesOverTheBoundary()
    {
        Counts[][] looks =
        [
            [new("/a", 40, 2, 800, 3), new("/b", 10, 1, 190, 0)],
            [new("/a", 35, 1, 760, 4), new("/b", 12, 0, 230, 1)],
            [new("/a", 50, 3, 950, 2), new("/b", 9, 2, 170, 1)],
        ];
        // The e-values alone (no exact tests spending α over the first looks), half of them service-wide, with the exact ratios.
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 3, ["/b"] = 1 }, Alpha = 0.05, ServiceWideShare = 0.5, SpendingLooks = null, EstimateErrorDispersion = false };

        var result = await Run(criteria, looks);

        // The check keeps the largest combined e-value over the looks, so recompute it after each look.
        var expected = 0.0;
        for (var k = 1; k <= looks.Length; k++)
        {
            var seen = looks.Take(k).ToArray();
            double Endpoint(string name) => Mixture(seen.Select(l => l.Where(c => c.Endpoint == name)), 1.25, 100);
            var combined = (0.5 * ((0.75 * Endpoint("/a")) + (0.25 * Endpoint("/b")))) + (0.5 * Mixture(seen, 1.2, 3));
            expected = Math.Max(expected, combined * 0.05);
        }

        Assert.Equal(expected, result.Value, 12);
        var b = result.Endpoints.Single(e => e.Endpoint == "/b");
        Assert.Equal(0.5 * 0.25 * Mixture(looks.Select(l => l.Where(c => c.Endpoint == "/b")), 1.25, 100) * 0.05, b.Contribution, 12);
        // Its evidence: its largest e-value over the looks against its own boundary; no rate limit (it is compared with its baseline).
        var largest = Enumerable.Range(1, looks.Length).Max(k => Mixture(looks.Take(k).Select(l => l.Where(c => c.Endpoint == "/b")), 1.25, 100));
        Assert.Equal(EvidenceKind.EValue, b.EvidenceKind);
        Assert.Equal(largest, b.EvidenceValue, 12);
        Assert.Equal(1 / (0.5 * 0.25 * 0.05), b.EvidenceBoundary, 9);
        Assert.Null(b.Limit);
        Assert.Equal((31L, 28L), ((long)b.Requests, (long)b.Successes));
    }

    [Fact]
    public async Task MeasureAsync_RegressionSpreadOverManyEndpoints_ServiceWideTestFailsWhereNoEndpointCould()
    {
        // 20 endpoints, each canary with twice the baseline's error rate: 2 errors in 100 vs 19 in 1,900 per look.
        var look = Enumerable.Range(0, 20).Select(i => new Counts($"/e{i:00}", 100, 2, 1900, 19)).ToArray();
        Counts[][] looks = [look, look, look, look, look, look];

        var perEndpointOnly = await Run(new SequentialErrorRateCriteria { ServiceWideShare = 0 }, looks);
        var withServiceWide = await Run(new SequentialErrorRateCriteria(), looks);

        // Without the service-wide test nothing fails; nor can it pass: the canary is 1 point worse everywhere, the margin itself.
        Assert.Equal(Verdict.Inconclusive, perEndpointOnly.Verdict);
        Assert.Contains("not yet shown within the margin", perEndpointOnly.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Fail, withServiceWide.Verdict);
        Assert.StartsWith("Service-wide: canary errors 240/12000 (2%) vs baseline 2280/228000 (1%) over 20 endpoint(s)", withServiceWide.Reason, StringComparison.Ordinal);
        Assert.All(withServiceWide.Endpoints, e => Assert.Equal(EndpointStatus.Judged, e.Status));
    }

    [Fact]
    public async Task MeasureAsync_TwoEndpointsEachHalfWay_CombinedEvidenceFails_WithoutEitherCrossingAlone()
    {
        // Each endpoint's evidence is worth a bit more than half the boundary: a weighted Bonferroni split (each endpoint
        // against its own share of α) would pass; the average of e-values crosses.
        Counts[][] looks = [[new("/a", 50, 3, 950, 0), new("/b", 50, 3, 950, 0)]];
        var criteria = new SequentialErrorRateCriteria { ServiceWideShare = 0, MinimumRequestsPerEndpoint = 10, Alpha = 0.0012, SpendingLooks = null, EstimateErrorDispersion = false }; // the exact ratios

        var result = await Run(criteria, looks);

        Assert.All(result.Endpoints, e => Assert.InRange(e.Contribution, 0.5, 1));
        Assert.All(result.Endpoints, e => Assert.Equal(EndpointStatus.Judged, e.Status));
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.StartsWith("/a: canary errors 3/50 (6%) vs baseline 0/950 (0%); combined evidence", result.Reason, StringComparison.Ordinal);
        Assert.Contains("50 % of it from this endpoint", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_OneRareEndpointFailing_IsMarkedAndNamed_OthersInsufficientOrJudged()
    {
        Counts[][] looks =
        [
            [new("/rare", 3, 2, 60, 0), new("/busy", 200, 1, 3800, 19)],
            [new("/rare", 4, 2, 55, 0), new("/busy", 210, 1, 3790, 20)],
        ];
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/rare"] = 0.5, ["/busy"] = 0.5 }, EstimateErrorDispersion = false }; // the exact ratios

        var result = await Run(criteria, looks);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.StartsWith("/rare: canary errors 4/7 (57.143%) vs baseline 0/115 (0%)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.LimitBreached, result.Endpoints.Single(e => e.Endpoint == "/rare").Status);
        Assert.Equal(EndpointStatus.Judged, result.Endpoints.Single(e => e.Endpoint == "/busy").Status);
    }

    [Fact]
    public async Task MeasureAsync_Inconclusive_StatesTheTimeNeededAndTheEvidence_AsData()
    {
        Counts[][] looks = [[new("/rare", 3, 0, 60, 0), new("/busy", 200, 1, 3800, 19)]];
        var criteria = new SequentialErrorRateCriteria();

        var result = await Run(criteria, looks);

        // The same estimate the reason states ("needs ~5 h 54 min more at this traffic"), as a number.
        Assert.Equal(TimeSpan.FromMinutes((5 * 60) + 54), result.TimeNeeded);
        Assert.Equal(EvidenceKind.EValue, result.EvidenceKind);
        Assert.Equal(1 / criteria.ReserveAlpha, result.EvidenceBoundary, 9);
        Assert.Equal(result.Value, result.EvidenceValue / result.EvidenceBoundary, 12);
        Assert.True(result.EvidenceValue >= 1, $"an e-value starts at 1: {result.EvidenceValue}");
    }

    [Fact]
    public async Task MeasureAsync_HealthyButTooFewRequests_InconclusiveNamingTheEndpoint_NeverPass()
    {
        Counts[][] looks = [[new("/rare", 3, 0, 60, 0), new("/busy", 200, 1, 3800, 19)]];

        var result = await Run(new SequentialErrorRateCriteria(), looks);

        // One window cannot tell whether /busy's 20 errors were one burst: its counts are read as 1/20 of themselves (its bound
        // 46.8 points, 2.4 with independent errors); /rare has no error to cluster.
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(
            "No regression seen so far; not enough canary requests yet: /rare (n=3, needs 50); the weighted success rate is at most 65.5 points below the baseline's "
            + "(95 % always-valid bound; margin 1 point; widest: /rare, 42.1 points of it); needs ~5 h 54 min more at this traffic.", result.Reason);
        Assert.Equal(0.655, result.SuccessRateDropBound, 3);
        Assert.Equal(0.843, result.Endpoints.Single(e => e.Endpoint == "/rare").SuccessRateDropBound, 3);
        Assert.Equal(
            BinomialConfidenceSequence.Upper(1 / 20.0, 200 / 20.0, 0.05 / 4) - BinomialConfidenceSequence.Lower(19 / 20.0, 3800 / 20.0, 0.05 / 4),
            result.Endpoints.Single(e => e.Endpoint == "/busy").SuccessRateDropBound, 12);
        Assert.Equal(EndpointStatus.Insufficient, result.Endpoints.Single(e => e.Endpoint == "/rare").Status);
    }

    [Theory]
    [InlineData(-0.1, 1.2, 3, "ServiceWideShare must be at least 0 and less than 1, not -0.1.")]
    [InlineData(1, 1.2, 3, "ServiceWideShare must be at least 0 and less than 1, not 1.")]
    [InlineData(double.NaN, 1.2, 3, "ServiceWideShare must be at least 0 and less than 1, not NaN.")]
    [InlineData(0.5, 1, 3, "needs 1 < ServiceWideMinimumRateRatio < ServiceWideMaximumRateRatio < ∞, not 1 and 3.")]
    [InlineData(0.5, 2, 2, "needs 1 < ServiceWideMinimumRateRatio < ServiceWideMaximumRateRatio < ∞, not 2 and 2.")]
    [InlineData(0.5, 1.2, double.PositiveInfinity, "not 1.2 and Infinity.")]
    public void Validate_ServiceWideSettings_MessageNamesTheFieldAndValue(double share, double min, double max, string fragment)
    {
        var criteria = new SequentialErrorRateCriteria { ServiceWideShare = share, ServiceWideMinimumRateRatio = min, ServiceWideMaximumRateRatio = max };

        var ex = Assert.Throws<ArgumentException>(criteria.Validate);

        Assert.StartsWith("SequentialErrorRateCriteria", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spending_RareEndpointFailingInTheFirstLooks_FailsByTheExactTest_WhereTheEValuesAloneDoNot()
    {
        // /rare (a fifth of the weight): 2 canary errors in 12 requests over 6 looks (at looks 1 and 4) against 3 in 1 200 for
        // the baseline. The combined e-value reaches 16.9, short of 1/α = 20 (values from an independent Python computation).
        var looks = Enumerable.Range(0, 6).Select(i => new Counts[] { new("/rare", 2, i is 0 or 3 ? 1 : 0, 200, i == 0 ? 3 : 0), new("/busy", 200, 1, 3800, 19) }).ToArray();
        var weights = new EndpointWeights { ["/rare"] = 0.2, ["/busy"] = 0.8 };

        var eValuesOnly = await Run(new SequentialErrorRateCriteria { Weights = weights, SpendingLooks = null, EstimateErrorDispersion = false }, looks);
        var spending = await Run(new SequentialErrorRateCriteria { Weights = weights, EstimateErrorDispersion = false, SpendingExponent = 1, SpendingShare = 0.8 }, looks);

        Assert.NotEqual(Verdict.Fail, eValuesOnly.Verdict);
        Assert.Equal(Verdict.Fail, spending.Verdict);
        Assert.Equal(1, spending.Value);
        Assert.StartsWith("/rare: canary errors 2/12 (16.667%) vs baseline 3/1200 (0.25%); the exact test of the first 13 looks crossed at look 4: 2 canary errors ≥ the critical value 2", spending.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.LimitBreached, spending.Endpoints.Single(e => e.Endpoint == "/rare").Status);
    }

    [Fact]
    public void Spending_AfterItsLooks_IsClosed_AndTheEValuesCarryOnWithTheReserve()
    {
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 }, SpendingLooks = 2, SpendingShare = 0.8 };
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        Counts[] healthy = [new("/a", 100, 1, 1900, 19)];
        for (var i = 0; i < 3; i++)
        {
            var end = Start + (Minute * (i + 1));
            evaluator.Add(Snapshot(healthy, end, canary: true), Snapshot(healthy, end, canary: false), end - Minute, end);
        }

        var state = evaluator.State;
        Assert.True(state.ServiceWideSpending is { IsClosed: true, Look: 2, Crossed: false });
        Assert.True(state.Endpoints.Single().Spending is { IsClosed: true, Look: 2, Crossed: false });

        // The row's evidence boundary is the reserve's: 1 / ((1 − 0.4) × 1 × 0.05 × (1 − 0.8)).
        var row = evaluator.Result().Endpoints.Single();
        Assert.Equal(1 / (0.6 * 0.05 * 0.2), row.EvidenceBoundary, 9);
    }

    [Fact]
    public void Spending_SharedOutageLook_AddsNothingToTheExactTests()
    {
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 }, EstimateErrorDispersion = false };
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        Counts[][] looks = [[new("/a", 100, 1, 1900, 10)], [new("/a", 100, 1, 1900, 9)], [new("/a", 100, 60, 1900, 900)]];
        for (var i = 0; i < looks.Length; i++)
        {
            var end = Start + (Minute * (i + 1));
            evaluator.Add(Snapshot(looks[i], end, canary: true), Snapshot(looks[i], end, canary: false), end - Minute, end);
        }

        var spending = evaluator.State.Endpoints.Single().Spending!;
        Assert.Equal((3, 2.0), (spending.Look, spending.CanaryEvents));
        Assert.Equal(2, evaluator.State.ServiceWideSpending!.CanaryEvents);
    }

    [Theory]
    [InlineData(0.5, 13)]
    [InlineData(0.8, 12)]
    public void Spending_SavedUnderOtherCriteria_IsRefused(double spendingShare, int spendingLooks)
    {
        var saved = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 } });
        Counts[] look = [new("/a", 100, 1, 1900, 19)];
        saved.Add(Snapshot(look, Start + Minute, canary: true), Snapshot(look, Start + Minute, canary: false), Start, Start + Minute);
        var other = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 }, SpendingShare = spendingShare, SpendingLooks = spendingLooks };

        var error = Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(other, saved.State));
        Assert.Contains("exact test", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit the criteria", error.Message, StringComparison.Ordinal);

        // Without exact tests in the criteria, their saved state grants nothing: refused too; a state without them is accepted.
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 }, SpendingLooks = null }, saved.State));
        var withoutTests = saved.State with { ServiceWideSpending = null, Endpoints = [.. saved.State.Endpoints.Select(e => e with { Spending = null })] };
        Assert.Equal(saved.State.Endpoints.Single().CanaryRequests, new SequentialErrorRateEvaluator(other, withoutTests).State.Endpoints.Single().CanaryRequests);
    }

    [Theory]
    [InlineData(0, 0.8)]
    [InlineData(13, 0.0)]
    [InlineData(13, 1.0)]
    [InlineData(13, double.NaN)]
    public void Spending_ImpossibleSettings_AreRefusedNamingThem(int looks, double share)
    {
        var error = Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { SpendingLooks = looks, SpendingShare = share }));
        Assert.Contains("SpendingLooks null or ≥ 1 and SpendingShare strictly between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spending_WithBurstTempering_LeavesOutAWindowTemperedAsOneBurst()
    {
        // The first window is tempered by its own errors (φ = 10: it could be one burst). Counting its 2 canary errors as 0.2
        // against the full null distribution of 10 errors would bias the exact tests low: they leave the window out (a look
        // with nothing added), decided from its totals alone.
        var evaluator = new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 } });
        Counts[] look = [new("/a", 100, 2, 1900, 8)];
        evaluator.Add(Snapshot(look, Start + Minute, canary: true), Snapshot(look, Start + Minute, canary: false), Start, Start + Minute);

        foreach (var test in new[] { evaluator.State.Endpoints.Single().Spending!, evaluator.State.ServiceWideSpending! })
        {
            Assert.Equal((1, 0.0, 0L), (test.Look, test.CanaryEvents, test.Offset));
            Assert.Equal([1.0], test.NullDistribution);
        }

        // The e-values count it, tempered: the endpoint's evidence moved.
        Assert.NotEqual(1, evaluator.State.Endpoints.Single().Evidence.EValue);
    }

    [Fact]
    public void Spending_WindowWithGaps_SpendsNothing_AndFailsNothing()
    {
        // A partial response (a canary pod unreachable) hides part of the split: the exact tests must neither count the
        // window nor spend α on it, whatever its visible counts say.
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/a"] = 1 }, EstimateErrorDispersion = false };
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        Counts[] healthy = [new("/a", 100, 1, 1900, 19)];
        evaluator.Add(Snapshot(healthy, Start + Minute, canary: true), Snapshot(healthy, Start + Minute, canary: false), Start, Start + Minute);
        var before = evaluator.State;

        Counts[] broken = [new("/a", 100, 100, 1900, 19)];
        var end = Start + (Minute * 2);
        var gapped = new TrafficSnapshot(end, Minute, Snapshot(broken, end, canary: true).Endpoints.Values) { Gaps = [new DataGap(DataGapKind.TargetUnreachable, "canary-1 refused")] };
        var result = evaluator.Add(gapped, Snapshot(broken, end, canary: false), Start + Minute, end);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(before.ServiceWideSpending, evaluator.State.ServiceWideSpending);
        Assert.Equal(before.Endpoints.Single().Spending, evaluator.State.Endpoints.Single().Spending);
    }

    [Fact]
    public void Rows_ValueAndBaselineAreRates_NoLimit_EvidenceIsTheEValueAgainstItsBoundary_AndDecidesTheStatus()
    {
        // /pay regresses (10 % errors against 0.5 %), /search is healthy; the e-values alone decide (no exact tests, no tempering).
        var criteria = new SequentialErrorRateCriteria { Weights = new EndpointWeights { ["/pay"] = 0.4, ["/search"] = 0.6 }, SpendingLooks = null, EstimateErrorDispersion = false };
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        Counts[] look = [new("/pay", 20, 2, 380, 2), new("/search", 120, 1, 2280, 11)];
        var statuses = new List<EndpointStatus>();
        for (var i = 0; i < 8; i++)
        {
            var end = Start + (Minute * (i + 1));
            var result = evaluator.Add(Snapshot(look, end, canary: true), Snapshot(look, end, canary: false), end - Minute, end);
            foreach (var row in result.Endpoints)
            {
                // Value and limit on one scale: success rates, and no limit at all (compared with the baseline), never the boundary.
                Assert.Null(row.Limit);
                Assert.Equal(1 - ((double)look.Single(c => c.Endpoint == row.Endpoint).CanaryErrors / look.Single(c => c.Endpoint == row.Endpoint).CanaryRequests), row.Value, 12);
                Assert.InRange(row.BaselineValue, 0, 1);

                // The evidence: the endpoint's largest e-value so far against 1 / ((1 − 0.4) × w × α), where it alone crosses.
                Assert.Equal(EvidenceKind.EValue, row.EvidenceKind);
                Assert.Equal(1 / (0.6 * row.Weight * 0.05), row.EvidenceBoundary, 9);
                Assert.True(row.Contribution * row.EvidenceBoundary <= row.EvidenceValue * (1 + 1e-12), "the current e-value is at most the largest");
                Assert.Equal(row.EvidenceValue >= row.EvidenceBoundary, row.Status == EndpointStatus.LimitBreached);
            }

            statuses.Add(result.Endpoints.Single(e => e.Endpoint == "/pay").Status);
        }

        Assert.Equal(EndpointStatus.LimitBreached, statuses[^1]);
        Assert.NotEqual(EndpointStatus.LimitBreached, statuses[0]); // crossed at a later look: both sides of the boundary seen
        Assert.Equal(EndpointStatus.Judged, evaluator.Result().Endpoints.Single(e => e.Endpoint == "/search").Status);
    }

    [Fact]
    public async Task Rows_CanaryOnlyEndpoint_LimitIsTheSuccessRateFloor_NotTheBoundary()
    {
        // /new has no baseline traffic: judged against the canary-only limit of 5 % errors, a success-rate floor of 95 %.
        var criteria = new SequentialErrorRateCriteria
        {
            Weights = new EndpointWeights { ["/new"] = 1, ["/old"] = 1 },
            CanaryOnlyMaximumErrorRate = 0.05,
            SpendingLooks = null,
            EstimateErrorDispersion = false,
        };
        Counts[] look = [new("/new", 50, 10, 0, 0), new("/old", 100, 1, 1900, 19)];
        var result = await Run(criteria, look, look, look, look, look, look);

        var fresh = result.Endpoints.Single(e => e.Endpoint == "/new");
        Assert.Equal(0.95, fresh.Limit!.Value, 12);
        Assert.Equal(0.8, fresh.Value, 12);
        Assert.True(double.IsNaN(fresh.BaselineValue));
        Assert.NotEqual(fresh.EvidenceBoundary, fresh.Limit.Value);
        Assert.Equal(1 / (0.6 * 0.5 * 0.05), fresh.EvidenceBoundary, 9);
        Assert.True(fresh.EvidenceValue >= fresh.EvidenceBoundary, $"e-value {fresh.EvidenceValue}");
        Assert.Equal(EndpointStatus.LimitBreached, fresh.Status);
        Assert.Null(result.Endpoints.Single(e => e.Endpoint == "/old").Limit);
    }
}
