using System.Text.Json;
using Canary.Analysis.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

/// <summary>
/// Issue 11, item 8: the opt-in baseline history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>): exact split
/// tests of the canary's errors against the history's (allotted at random to the looks), α split from the concurrent tests
/// before any canary error is read, and stability checks that only ever switch a history test off.
/// </summary>
public sealed class BaselineHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static SequentialErrorRateCriteria Criteria(bool history = true) => new()
    {
        Weights = new EndpointWeights { ["/rare"] = 0.5, ["/busy"] = 0.5 },
        BaselineHistory = history ? new BaselineHistoryOptions() : null,
    };

    private static TrafficSnapshot Snapshot(DateTimeOffset end, TimeSpan window, params (string Endpoint, long Requests, long Errors)[] endpoints) =>
        new(end, window, endpoints.Select(e => new EndpointTraffic(e.Endpoint, e.Requests, e.Requests - e.Errors)));

    /// <summary>24 hourly segments: /rare 1 000 requests and 5 errors an hour (0.5 %), /busy 100 000 and 500; the last
    /// <paramref name="risenHours"/> hours of /rare at <paramref name="risenErrors"/> errors.</summary>
    private static TrafficSnapshot[] History(int risenHours = 0, long risenErrors = 5) =>
        [.. Enumerable.Range(0, 24).Select(h => Snapshot(Start - TimeSpan.FromHours(23 - h), TimeSpan.FromHours(1),
            ("/rare", 1000, h >= 24 - risenHours ? risenErrors : 5), ("/busy", 100_000, 500)))];

    /// <summary>Feeds looks of /rare (canary requests, errors, baseline requests, errors); /busy healthy at 0.5 % throughout.</summary>
    private static (SequentialErrorRateEvaluator Evaluator, CheckResult Result) Feed(SequentialErrorRateCriteria criteria, TrafficSnapshot[]? history, params (long Cr, long Ce, long Br, long Be)[] looks)
    {
        var evaluator = new SequentialErrorRateEvaluator(criteria);
        CheckResult? result = null;
        for (var i = 0; i < looks.Length; i++)
        {
            var (cr, ce, br, be) = looks[i];
            var end = Start + (Minute * (i + 1));
            result = evaluator.Add(Snapshot(end, Minute, ("/rare", cr, ce), ("/busy", 4000, 20)), Snapshot(end, Minute, ("/rare", br, be), ("/busy", 76_000, 380)), end - Minute, end, history);
        }

        return (evaluator, result!);
    }

    private static SequentialEndpointEvidence Rare(SequentialErrorRateEvaluator evaluator) => evaluator.State.Endpoints.Single(e => e.Endpoint == "/rare");

    [Fact]
    public void SparseEndpoint_FailsAgainstItsHistory_WhereTheConcurrentBaselineCannotTell()
    {
        // Two canary errors in four requests on /rare; its concurrent baseline shows 0 errors in 80 requests.
        (long, long, long, long)[] looks = [(2, 1, 40, 0), (2, 1, 40, 0)];
        var (withHistory, failed) = Feed(Criteria(), History(), looks);
        var (_, concurrentOnly) = Feed(Criteria(history: false), null, looks);

        Assert.Equal(Verdict.Fail, failed.Verdict);
        Assert.Contains("/rare: canary errors 2/4 (50%) vs the baseline's history 120/24000 (0.5%)", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.LimitBreached, failed.Endpoints.Single(e => e.Endpoint == "/rare").Status);
        Assert.True(Rare(withHistory).History!.Crossed);
        Assert.NotEqual(Verdict.Fail, concurrentOnly.Verdict);
    }

    [Fact]
    public void AlphaIsSplit_BeforeAnyCanaryError_AndAddsUpToTheEndpointsShare()
    {
        var criteria = Criteria();
        var (evaluator, _) = Feed(criteria, History(), (2, 0, 40, 0));
        var rare = Rare(evaluator);
        var busy = evaluator.State.Endpoints.Single(e => e.Endpoint == "/busy");

        // /rare's baseline is expected to show about one error in the 13 looks: most of its α goes to the history; /busy's
        // about 108: almost none.
        var share = rare.History!.Share;
        Assert.InRange(share, 0.8, 0.9);
        Assert.InRange(busy.History!.Share, 0, 0.01);
        var endpointAlpha = criteria.Alpha * criteria.SpendingShare * (1 - criteria.ServiceWideShare) * 0.5;
        Assert.Equal(endpointAlpha, rare.Spending!.Alpha + rare.History.Test.Alpha, 12);
        Assert.Equal(endpointAlpha * (1 - share), rare.Spending.Alpha, 12);

        // The history's 120 errors allotted to the 13 spending looks, each slice standing for 24 000 / 13 / 1.2 requests; the
        // rate shown in reasons is the history's times 1.2.
        Assert.Equal(criteria.SpendingLooks, rare.History.Slices.Count);
        Assert.Equal(120, rare.History.Slices.Sum());
        Assert.Equal(1538, rare.History.SliceRequests);
        Assert.Equal(0.005 * 1.2, rare.History.NullRate, 12);
        Assert.Equal(criteria.Alpha * criteria.SpendingShare * criteria.ServiceWideShare, evaluator.State.ServiceWideSpending!.Alpha + evaluator.State.ServiceWideHistory!.Alpha, 12);
    }

    [Fact]
    public void HistorySlices_SeededFromTheHistoryAlone_UniformOverTheLooks()
    {
        // The same history, whatever the canary did: the same allotment (a restart, or another process, draws the same).
        var (quiet, _) = Feed(Criteria(), History(), (2, 0, 40, 0));
        var (failing, _) = Feed(Criteria(), History(), (2, 2, 40, 0));
        Assert.Equal(Rare(quiet).History!.Slices, Rare(failing).History!.Slices);

        // Each error to a look with probability 1/13: 130 000 errors give 10 000 a slice within a few standard deviations (96).
        var slices = BaselineHistoryStart.Slices("/rare", 26_000_000, 130_000, 13);
        Assert.Equal(130_000, slices.Sum());
        Assert.All(slices, s => Assert.InRange(s, 10_000 - (5 * 96), 10_000 + (5 * 96)));
        var chiSquare = slices.Sum(s => (s - 10_000.0) * (s - 10_000.0) / 10_000);
        Assert.InRange(chiSquare, 1, 40); // 12 degrees of freedom: P(χ² > 40) ≈ 7e-5, P(χ² < 1) ≈ 1e-5
        Assert.NotEqual(slices, BaselineHistoryStart.Slices("/other", 26_000_000, 130_000, 13));
    }

    [Fact]
    public void ConcurrentBaselineAboveTheHistory_SwitchesTheHistoryTestOff_AndSaysSo()
    {
        // /rare's baseline today fails 5 % of its requests (the history: 0.5 %); the canary, as bad as the baseline, must not
        // fail against the history. The second look's 4/80 is beyond the 1 % stability level (P = 0.0008), the first's 2/40 not.
        var (evaluator, result) = Feed(Criteria(), History(), (2, 0, 40, 2), (2, 1, 40, 2), (2, 0, 40, 2), (2, 1, 40, 2));
        var history = Rare(evaluator).History!;
        Assert.NotNull(history.SwitchedOff);
        Assert.False(history.Crossed);
        Assert.Equal(0, history.Test.CanaryEvents);
        Assert.NotEqual(Verdict.Fail, result.Verdict);
        Assert.Contains("switched off for /rare (the concurrent baseline's errors 4/80 are above the history's rate 0.5%)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RateRisenBeforeTheCanary_HistoryNotUsed_AndTheConcurrentTestKeepsAllItsAlpha()
    {
        var criteria = Criteria();
        var (evaluator, result) = Feed(criteria, History(risenHours: 6, risenErrors: 20), (2, 0, 40, 0));
        Assert.Null(Rare(evaluator).History);
        Assert.Equal(criteria.EndpointSpending(0.5)!.Alpha, Rare(evaluator).Spending!.Alpha, 15);
        Assert.Contains("not used for /rare (its rate rose before the canary: 120/6000 recently vs 90/18000)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BaselineOutage_LeftOutOfTheHistoryTest_EvenWithCanaryErrors()
    {
        // The baseline's own errors jump (20 of 40): a shared outage; the canary's errors in that window are not counted.
        var (evaluator, _) = Feed(Criteria(), History(), (2, 0, 40, 0), (2, 2, 40, 20));
        var history = Rare(evaluator).History!;
        Assert.Equal(2, history.Test.Look);
        Assert.Equal(0, history.Test.CanaryEvents);
        Assert.False(history.Crossed);
        Assert.Null(history.SwitchedOff);
    }

    [Fact]
    public void NoHistoryOrAHistoryWithGaps_JudgesAgainstTheConcurrentBaselineOnly()
    {
        var (none, noneResult) = Feed(Criteria(), null, (2, 0, 40, 0));
        Assert.All(none.State.Endpoints, e => Assert.Null(e.History));
        Assert.Null(none.State.ServiceWideHistory);
        Assert.Contains("baseline history: in use for 0 of 2 endpoint(s); not read", noneResult.Reason, StringComparison.Ordinal);

        var gapped = History();
        gapped[3] = new TrafficSnapshot(gapped[3].End, gapped[3].Window, gapped[3].Endpoints.Values) { Gaps = [new DataGap(DataGapKind.TargetUnreachable, "a target was down")] };
        var (_, gappedResult) = Feed(Criteria(), gapped, (2, 0, 40, 0));
        Assert.Contains("not used: it has gaps", gappedResult.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SavedWithTheEvidence_ResumesTheSameTest_AndIsRefusedUnderOtherCriteria()
    {
        var (evaluator, _) = Feed(Criteria(), History(), (2, 1, 40, 0));
        var state = evaluator.State;
        var json = JsonSerializer.Serialize(state, EvidenceJsonContext.Default.SequentialErrorRateState);
        var restored = JsonSerializer.Deserialize(json, EvidenceJsonContext.Default.SequentialErrorRateState)!;
        Assert.Equal(state, restored);

        // Resumed without the history at hand: the next look continues the same test and fails as without a restart.
        var resumed = new SequentialErrorRateEvaluator(Criteria(), restored);
        var end = Start + (Minute * 2);
        var next = resumed.Add(Snapshot(end, Minute, ("/rare", 2, 1), ("/busy", 4000, 20)), Snapshot(end, Minute, ("/rare", 40, 0), ("/busy", 76_000, 380)), end - Minute, end, null);
        var (_, uninterrupted) = Feed(Criteria(), History(), (2, 1, 40, 0), (2, 1, 40, 0));
        Assert.Equal(uninterrupted.Verdict, next.Verdict);
        Assert.Equal(uninterrupted.Reason, next.Reason);

        Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(Criteria(history: false), restored));
        var tampered = restored with { Endpoints = [.. restored.Endpoints.Select(e => e with { History = e.History! with { Share = 0.95 } })] };
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(Criteria(), tampered));

        // Slices edited to give the canary an easier comparison (errors moved out of the looks to come, or more requests per
        // slice) are refused: they must add up to the history's errors, one a look, each within the requests it stands for.
        BaselineHistoryEvidence Rare(SequentialErrorRateState s) => s.Endpoints.Single(e => e.Endpoint == "/rare").History!;
        SequentialErrorRateState Edited(Func<BaselineHistoryEvidence, BaselineHistoryEvidence> edit) =>
            restored with { Endpoints = [.. restored.Endpoints.Select(e => e.Endpoint == "/rare" ? e with { History = edit(e.History!) } : e)] };
        var slices = Rare(restored).Slices;
        foreach (var edited in new[]
        {
            Edited(h => h with { Slices = [.. slices.Select((x, i) => i == 0 ? x + 5 : x)] }),
            Edited(h => h with { Slices = [.. slices.Take(12)] }),
            Edited(h => h with { Slices = [.. slices.Select((x, i) => i == 0 ? -1 : i == 1 ? x + 1 + slices[0] : x)] }),
            Edited(h => h with { SliceRequests = h.Requests + 1 }),
        })
        {
            var ex = Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(Criteria(), edited));
            Assert.Contains("slices", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FirstWindow_TemperedByTheHistorysDispersion_NotAsOneBurst()
    {
        // Without history an endpoint's first window is tempered as one burst (φ = its errors) and left out of the exact test;
        // with it, the history's dispersion (1 here: steady hourly counts) applies and /busy's 20 canary errors count.
        var (withHistory, _) = Feed(Criteria(), History(), (2, 0, 40, 0));
        var (concurrentOnly, _) = Feed(Criteria(history: false), null, (2, 0, 40, 0));
        Assert.Equal(1, withHistory.State.Endpoints.Single(e => e.Endpoint == "/busy").History!.Dispersion);
        Assert.Equal(20, withHistory.State.Endpoints.Single(e => e.Endpoint == "/busy").Spending!.CanaryEvents);
        Assert.Equal(0, concurrentOnly.State.Endpoints.Single(e => e.Endpoint == "/busy").Spending!.CanaryEvents);
    }

    [Theory]
    [InlineData(0, 24, 0.2, 0.9, 0.01)]
    [InlineData(24, 1, 0.2, 0.9, 0.01)]
    [InlineData(24, 24, -0.1, 0.9, 0.01)]
    [InlineData(24, 24, 0.2, 1, 0.01)]
    [InlineData(24, 24, 0.2, 0.9, 0.5)]
    public void InvalidOptions_AreRefused(int hours, int segments, double tolerance, double share, double level)
    {
        var options = new BaselineHistoryOptions { Window = TimeSpan.FromHours(hours), Segments = segments, Tolerance = tolerance, Share = share, StabilityLevel = level };
        Assert.Throws<ArgumentException>(options.Validate);
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { BaselineHistory = options }));
    }

    [Fact]
    public void HistoryWithoutSpendingLooks_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new SequentialErrorRateEvaluator(new SequentialErrorRateCriteria { BaselineHistory = new BaselineHistoryOptions(), SpendingLooks = null }));
}
