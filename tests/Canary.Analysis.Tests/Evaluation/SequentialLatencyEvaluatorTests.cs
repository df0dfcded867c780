using System.Text.Json;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Evaluation;

public sealed class SequentialLatencyEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly double[] Bounds = [0.1, 0.25, 0.5, 1];

    /// <summary>A histogram with <paramref name="requests"/> requests of which <paramref name="slow"/> are above 0.5 s (and the rest ≤ 0.1 s).</summary>
    private static LatencyHistogram Histogram(double requests, double slow, double[]? bounds = null) =>
        new((bounds ?? Bounds).Select(b => (b, b >= 0.5 ? requests - slow : requests - slow)).Append((double.PositiveInfinity, requests)));

    private static TrafficSnapshot Snapshot(DateTimeOffset end, TimeSpan window, params (string Endpoint, double Requests, double Slow)[] endpoints) =>
        new(end, window, endpoints.Select(e => new EndpointTraffic(e.Endpoint, new Dictionary<StatusClass, double> { [StatusClass.Success] = e.Requests }, latency: Histogram(e.Requests, e.Slow))));

    private static SequentialLatencyCriteria Slo(double alpha = 0.05) => new() { LatencyBound = TimeSpan.FromSeconds(0.5), Test = { Alpha = alpha } };

    /// <summary>Adds <paramref name="looks"/> one-minute windows: per endpoint (canary requests, canary slow, baseline requests, baseline slow).</summary>
    private static CheckResult Run(SequentialLatencyEvaluator evaluator, int looks, params (string Endpoint, double Cr, double Cs, double Br, double Bs)[] perLook)
    {
        CheckResult? result = null;
        for (var i = 0; i < looks; i++)
        {
            var end = Start + (Minute * (i + 1));
            result = evaluator.Add(
                Snapshot(end, Minute, [.. perLook.Select(e => (e.Endpoint, e.Cr, e.Cs))]),
                Snapshot(end, Minute, [.. perLook.Select(e => (e.Endpoint, e.Br, e.Bs))]),
                end - Minute,
                end);
        }

        return result!;
    }

    [Fact]
    public void LatencyRegressionOnOneEndpoint_Fails_NamingIt()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        var result = Run(evaluator, 5, ("/pay", 50, 10, 950, 10), ("/search", 50, 1, 950, 19));
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(SequentialLatencyEvaluator.CheckName, result.Name);
        Assert.StartsWith("/pay: canary slow requests 50/250 (20%) vs baseline 50/4750", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Slow: slower than 500 ms (fixed)", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("error", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheSameCounts_GiveTheErrorRateTestsEvidence()
    {
        // Slow requests are the errors of the error-rate test: same counts, same value, same verdict.
        var latency = Run(new SequentialLatencyEvaluator(Slo()), 4, ("/pay", 50, 6, 950, 10), ("/search", 60, 1, 900, 9));
        var expected = ErrorRateTest(looks: 4, paySlow: 6, searchSlow: 1);

        Assert.Equal(expected.Value, latency.Value, 12);
        Assert.Equal(expected.Verdict, latency.Verdict);
        Assert.Equal(expected.Endpoints.Select(e => (e.Endpoint, e.Requests, e.Successes)), latency.Endpoints.Select(e => (e.Endpoint, e.Requests, e.Successes)));
    }

    [Fact]
    public void Rows_ShareOfFastRequestsAgainstTheBaselines_NoRateLimit_EvidenceAgainstItsBoundary()
    {
        var result = Run(new SequentialLatencyEvaluator(Slo()), 5, ("/pay", 50, 10, 950, 10), ("/search", 50, 1, 950, 19));

        // Value and baseline value are shares of requests not slow (rates); the check compares them, so no rate limit and never
        // the e-value boundary; the evidence that marks /pay is its e-value against its own boundary.
        Assert.All(result.Endpoints, row =>
        {
            Assert.Null(row.Limit);
            Assert.InRange(row.Value, 0, 1);
            Assert.InRange(row.BaselineValue, 0, 1);
            Assert.Equal(EvidenceKind.EValue, row.EvidenceKind);
            Assert.Equal(1 / (0.6 * row.Weight * 0.05 * 0.15), row.EvidenceBoundary, 9);
        });
        var pay = result.Endpoints.Single(e => e.Endpoint == "/pay");
        Assert.Equal((0.8, 1 - (10 / 950.0)), (pay.Value, pay.BaselineValue));
        Assert.Equal(EndpointStatus.LimitBreached, pay.Status);
    }

    [Fact]
    public void TheSameCounts_GiveTheErrorRateTestsEvidenceAgainstItsBoundary_AndTimeNeeded()
    {
        var latency = Run(new SequentialLatencyEvaluator(Slo()), 4, ("/pay", 50, 0, 950, 10), ("/search", 60, 0, 900, 9));
        var expected = ErrorRateTest(looks: 4, paySlow: 0, searchSlow: 0);

        Assert.Equal(EvidenceKind.EValue, latency.EvidenceKind);
        Assert.Equal((expected.EvidenceValue, expected.EvidenceBoundary), (latency.EvidenceValue, latency.EvidenceBoundary));
        Assert.Equal((Verdict.Inconclusive, expected.TimeNeeded), (latency.Verdict, latency.TimeNeeded));
        Assert.NotNull(latency.TimeNeeded);
    }

    /// <summary>The error-rate test on the slow requests as errors: per minute 50 canary requests on /pay and 60 on /search, the baseline's 950 (10 slow) and 900 (9 slow).</summary>
    private static CheckResult ErrorRateTest(int looks, int paySlow, int searchSlow)
    {
        var errors = new SequentialErrorRateEvaluator(Slo().Test);
        CheckResult? result = null;
        for (var i = 0; i < looks; i++)
        {
            var end = Start + (Minute * (i + 1));
            result = errors.Add(
                new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", 50, 50 - paySlow), new EndpointTraffic("/search", 60, 60 - searchSlow)]),
                new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", 950, 940), new EndpointTraffic("/search", 900, 891)]),
                end - Minute,
                end);
        }

        return result!;
    }

    [Fact]
    public void HealthyCanary_Passes()
    {
        // A Pass proves the share of requests within their bound at most the margin below the baseline's: 10 points here, what
        // 500 canary requests can show.
        var criteria = Slo();
        criteria.Test.NonInferiorityMargin = 0.1;
        var result = Run(new SequentialLatencyEvaluator(criteria), 10, ("/pay", 20, 0, 400, 4), ("/search", 30, 0, 600, 6));
        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Contains("the weighted share of requests within their bound is at", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("error", result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("success", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoBaselineTraffic_NeverPasses()
    {
        var result = Run(new SequentialLatencyEvaluator(Slo()), 10, ("/pay", 20, 0, 0, 0));
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("No baseline traffic", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHistogram_IsInconclusive_NamingTheEndpoint_AndAddsNothing()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        Run(evaluator, 10, ("/pay", 20, 0, 400, 4));
        var end = Start + (Minute * 11);
        var before = evaluator.State.Test.Endpoints[0];
        var result = evaluator.Add(
            new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", 20, 20)]),
            Snapshot(end, Minute, ("/pay", 400, 4)),
            end - Minute,
            end);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("/pay: no latency histogram: those endpoints add no evidence", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before.CanaryRequests, evaluator.State.Test.Endpoints[0].CanaryRequests);
        Assert.Equal(before.BaselineRequests, evaluator.State.Test.Endpoints[0].BaselineRequests);
    }

    [Fact]
    public void BucketBoundsThatDiffer_AreInconclusive_NamingTheBuckets()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        Run(evaluator, 10, ("/pay", 20, 0, 400, 4));
        var end = Start + (Minute * 11);
        var canary = new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", new Dictionary<StatusClass, double> { [StatusClass.Success] = 20 }, latency: Histogram(20, 5, [0.2, 0.4, 0.8]))]);
        var result = evaluator.Add(canary, Snapshot(end, Minute, ("/pay", 400, 4)), end - Minute, end);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("/pay: the histogram cannot be split at le=\"0.5\" (its buckets: 0.2, 0.4, 0.8, +Inf)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GapsInTheWindow_AreInconclusive_AndTheWindowIsReadAgain()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        Run(evaluator, 10, ("/pay", 20, 0, 400, 4));
        var end = Start + (Minute * 11);
        var gap = new TrafficSnapshot(end, Minute, Snapshot(end, Minute, ("/pay", 20, 0)).Endpoints.Values) { Gaps = [new DataGap(DataGapKind.MissingData, "a series vanished")] };
        var result = evaluator.Add(gap, Snapshot(end, Minute, ("/pay", 400, 4)), end - Minute, end);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("MissingData: a series vanished", result.Reason, StringComparison.Ordinal);
        Assert.Equal(end - Minute, evaluator.State.Test.WindowStart);
    }

    [Fact]
    public void BaselineBound_IsChosenFromTheHistoryAlone_FixedAndSaved()
    {
        var criteria = new SequentialLatencyCriteria { MinimumBaselineRequests = 100 };
        var evaluator = new SequentialLatencyEvaluator(criteria);
        Assert.True(evaluator.NeedsBaselineHistory);
        Assert.Equal(Start - TimeSpan.FromHours(1), evaluator.BaselineHistoryStart(Start));

        // The history: 1 000 baseline requests on /pay, 2 % above 0.5 s (p99 in the (0.5, 1] bucket), none above 1 s; 50 on /rare.
        var history = new TrafficSnapshot(Start, TimeSpan.FromHours(1),
        [
            new EndpointTraffic("/pay", new Dictionary<StatusClass, double> { [StatusClass.Success] = 1000 }, latency: new LatencyHistogram([(0.1, 900), (0.25, 960), (0.5, 980), (1, 1000), (double.PositiveInfinity, 1000)])),
            new EndpointTraffic("/rare", new Dictionary<StatusClass, double> { [StatusClass.Success] = 50 }, latency: Histogram(50, 0)),
        ]);
        var end = Start + Minute;
        var result = evaluator.Add(Snapshot(end, Minute, ("/pay", 10, 0), ("/rare", 1, 0)), Snapshot(end, Minute, ("/pay", 200, 0), ("/rare", 5, 0)), Start, end, history);

        var bound = Assert.Single(evaluator.State.Bounds);
        Assert.Equal(new SlowRequestBound("/pay", 1, Start) { BaselineRequests = 1000, BaselineSlowShare = 0 }, bound);
        Assert.True(evaluator.NeedsBaselineHistory);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("No latency bound yet for /rare: each needs 100 baseline requests", result.Reason, StringComparison.Ordinal);

        // /rare counted nothing before its bound; the canary's later latency never moves /pay's bound.
        var rare = evaluator.State.Test.Endpoints.Single(e => e.Endpoint == "/rare");
        Assert.Equal((0L, 0L), (rare.CanaryRequests, rare.BaselineRequests));
        var later = new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", new Dictionary<StatusClass, double> { [StatusClass.Success] = 1000 }, latency: Histogram(1000, 500))]);
        evaluator.Add(Snapshot(end + Minute, Minute, ("/pay", 10, 9)), Snapshot(end + Minute, Minute, ("/pay", 200, 0)), end, end + Minute, later);
        Assert.Equal(bound, evaluator.State.BoundOf("/pay"));

        // Saved and restored: the same bounds and the same test.
        var json = JsonSerializer.Serialize(evaluator.State, Canary.Analysis.Analysis.Internal.EvidenceJsonContext.Default.SequentialLatencyState);
        var restored = JsonSerializer.Deserialize(json, Canary.Analysis.Analysis.Internal.EvidenceJsonContext.Default.SequentialLatencyState)!;
        Assert.Equal(evaluator.State, restored);
        Assert.Equal(evaluator.Result().Value, new SequentialLatencyEvaluator(criteria, restored).Result().Value);
    }

    [Fact]
    public void HistoryAfterTheWindowStart_IsRefused()
    {
        var evaluator = new SequentialLatencyEvaluator(new SequentialLatencyCriteria());
        var end = Start + Minute;
        var history = Snapshot(end, Minute * 61, ("/pay", 1000, 10));
        Assert.Throws<ArgumentException>(() => evaluator.Add(Snapshot(end, Minute, ("/pay", 10, 0)), Snapshot(end, Minute, ("/pay", 200, 0)), Start, end, history));
    }

    [Fact]
    public void BaselineQuantileInTheInfBucket_UsesTheHighestFiniteBound_AndNoFiniteBucketGivesNone()
    {
        var evaluator = new SequentialLatencyEvaluator(new SequentialLatencyCriteria { MinimumBaselineRequests = 100 });
        var history = new TrafficSnapshot(Start, TimeSpan.FromHours(1),
        [
            new EndpointTraffic("/slow", new Dictionary<StatusClass, double> { [StatusClass.Success] = 1000 }, latency: new LatencyHistogram([(0.1, 100), (1, 900), (double.PositiveInfinity, 1000)])),
            new EndpointTraffic("/flat", new Dictionary<StatusClass, double> { [StatusClass.Success] = 1000 }, latency: new LatencyHistogram([(double.PositiveInfinity, 1000)])),
        ]);
        var end = Start + Minute;
        var result = evaluator.Add(Snapshot(end, Minute, ("/slow", 10, 0), ("/flat", 10, 0)), Snapshot(end, Minute, ("/slow", 200, 0), ("/flat", 200, 0)), Start, end, history);
        Assert.Equal(1, evaluator.State.BoundOf("/slow")!.UpperBound);
        Assert.Equal(0.1, evaluator.State.BoundOf("/slow")!.BaselineSlowShare, 12);
        Assert.Null(evaluator.State.BoundOf("/flat"));
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("No latency bound yet for /flat", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNCounts_AreInconclusive_NeverPass()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        Run(evaluator, 10, ("/pay", 20, 0, 400, 4));
        var end = Start + (Minute * 11);
        var canary = new TrafficSnapshot(end, Minute, [new EndpointTraffic("/pay", new Dictionary<StatusClass, double> { [StatusClass.Success] = 20 }, latency: new LatencyHistogram([(0.5, 25), (double.PositiveInfinity, 20)]))]);
        var result = evaluator.Add(canary, Snapshot(end, Minute, ("/pay", 400, 4)), end - Minute, end);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("cannot be split", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Criteria_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new SequentialLatencyEvaluator(new SequentialLatencyCriteria { BaselineQuantile = 1 }));
        Assert.Throws<ArgumentException>(() => new SequentialLatencyEvaluator(new SequentialLatencyCriteria { LatencyBound = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new SequentialLatencyEvaluator(new SequentialLatencyCriteria { Test = { CanaryOnlyMaximumErrorRate = 0.1 } }));
        Assert.Throws<ArgumentException>(() => new SequentialLatencyEvaluator(new SequentialLatencyCriteria { BaselineHistory = TimeSpan.FromMinutes(-1) }));
        Assert.Throws<ArgumentException>(() => new SequentialLatencyEvaluator(new SequentialLatencyCriteria { Test = { Alpha = 0 } }));
    }

    [Fact]
    public void State_ThatCouldNotBeReached_IsRefused()
    {
        var evaluator = new SequentialLatencyEvaluator(Slo());
        Run(evaluator, 2, ("/pay", 20, 0, 400, 4));
        var state = evaluator.State;
        Assert.Throws<ArgumentException>(() => evaluator.State = state with { Bounds = [] });
        Assert.Throws<ArgumentException>(() => evaluator.State = state with { Bounds = [state.Bounds[0] with { UpperBound = double.NaN }] });
        Assert.Throws<ArgumentException>(() => evaluator.State = state with { Started = null });
        Assert.Throws<ArgumentException>(() => evaluator.State = state with { Bounds = [state.Bounds[0], state.Bounds[0]] });
    }
}
