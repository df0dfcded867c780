using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>
/// <see cref="SequentialErrorRateCheck"/> on real clocks and on broken evidence: looks at tick offsets, series that vanish,
/// a baseline that matches nothing, counts beyond 2⁵³, snapshots with gaps and sources that throw.
/// </summary>
public sealed class SequentialErrorRateCheckIntegrityTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly LabelSelector Canary = LabelSelector.Parse("version=\"canary\"");
    private static readonly LabelSelector Baseline = LabelSelector.Parse("version=\"baseline\"");

    /// <summary>Healthy traffic proportional to the window: 100 canary and 1 900 baseline requests a minute on /a and /b, 0.5 % errors.</summary>
    private static TrafficSnapshot Healthy(TrafficQuery query)
    {
        var minutes = query.Window.TotalMinutes;
        // Enough traffic for a Pass to prove the default 1-point margin within one look (0.73 points after 4,000 canary requests).
        var requests = query.Selector.Equals(Canary) ? 4000 * minutes : 76000 * minutes;
        return new TrafficSnapshot(query.End, query.Window,
            [new EndpointTraffic("/a", requests, requests * 0.995), new EndpointTraffic("/b", requests, requests * 0.995)]);
    }

    /// <summary>
    /// The check, its errors taken as independent (<see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/> off): the
    /// counts here are exact proportions, and these tests are about the integrity of what is read, so a healthy first look may
    /// prove the margin (with the estimate on, one window cannot tell whether its errors were one burst).
    /// </summary>
    private static SequentialErrorRateCheck Check(FuncSource source, SequentialErrorRateCriteria? criteria = null, bool independentErrors = true)
    {
        criteria ??= new SequentialErrorRateCriteria();
        criteria.EstimateErrorDispersion = !independentErrors;
        return new(source, Canary, Baseline, Minute, criteria);
    }

    [Fact]
    public async Task MeasureAsync_LooksAtTickOffsets_ReadEveryTickExactlyOnce_AndPass()
    {
        // A controller's timer: a look about every minute at a random offset with ticks (the bug: the second look threw).
        var source = new FuncSource(Healthy);
        var check = Check(source);
        var random = new Random(12);
        var first = Start.AddTicks(random.NextInt64(TimeSpan.TicksPerSecond));
        CheckResult? result = null;
        for (var i = 0; i < 10; i++)
        {
            var now = first + (Minute * i) + TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerSecond));
            result = await check.MeasureAsync(now);
        }

        Assert.Equal(Verdict.Pass, result!.Verdict);
        var canaryQueries = source.Queries.Where(q => q.Selector.Equals(Canary)).ToList();
        Assert.Equal(10, canaryQueries.Count);
        Assert.Contains(canaryQueries, q => q.Window.Ticks % TimeSpan.TicksPerMillisecond != 0);
        for (var i = 1; i < canaryQueries.Count; i++)
        {
            Assert.Equal(canaryQueries[i - 1].End, canaryQueries[i].Start);
        }
    }

    [Fact]
    public async Task MeasureAsync_IdleFirstLook_EndpointsChosenWhenTrafficAppears()
    {
        var idle = true;
        var source = new FuncSource(q => idle ? new TrafficSnapshot(q.End, q.Window, []) : Healthy(q));
        var check = Check(source);

        var first = await check.MeasureAsync(Start + Minute);
        idle = false;
        var second = await check.MeasureAsync(Start + (2 * Minute));

        Assert.Equal(Verdict.Inconclusive, first.Verdict);
        Assert.Equal(Verdict.Pass, second.Verdict);
        Assert.Equal(["/a", "/b"], second.Endpoints.Select(e => e.Endpoint));
        Assert.DoesNotContain("not judged", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_CanarySeriesVanishAfterAHealthyLook_InconclusiveNamingWhenDataWasLastSeen()
    {
        var vanished = false;
        var source = new FuncSource(q => vanished && q.Selector.Equals(Canary) ? new TrafficSnapshot(q.End, q.Window, []) : Healthy(q));
        var check = Check(source);

        Assert.Equal(Verdict.Pass, (await check.MeasureAsync(Start + Minute)).Verdict);
        vanished = true;
        var second = await check.MeasureAsync(Start + (2 * Minute));
        var third = await check.MeasureAsync(Start + (3 * Minute));
        vanished = false;
        var back = await check.MeasureAsync(Start + (4 * Minute));

        Assert.Equal(Verdict.Inconclusive, second.Verdict);
        Assert.StartsWith("No canary data since 2026-01-01 12:01:00 UTC", second.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, third.Verdict);
        Assert.StartsWith("No canary data since 2026-01-01 12:01:00 UTC", third.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, back.Verdict);
    }

    [Fact]
    public async Task MeasureAsync_BaselineSeriesVanish_Inconclusive()
    {
        var vanished = false;
        var source = new FuncSource(q => vanished && q.Selector.Equals(Baseline) ? new TrafficSnapshot(q.End, q.Window, []) : Healthy(q));
        var check = Check(source);

        Assert.Equal(Verdict.Pass, (await check.MeasureAsync(Start + Minute)).Verdict);
        vanished = true;
        var result = await check.MeasureAsync(Start + (2 * Minute));

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("No baseline data since 2026-01-01 12:01:00 UTC", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_BaselineMatchesNothing_CanaryFailingEveryRequest_NeverPassesOverADay()
    {
        // A typo in the baseline selector (or a baseline scaled to zero): there is nothing to compare with.
        var source = new FuncSource(q => q.Selector.Equals(Canary)
            ? new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/pay", 20, 0), new EndpointTraffic("/home", 20, 0)])
            : new TrafficSnapshot(q.End, q.Window, []));
        var check = Check(source);

        for (var i = 1; i <= 1440; i++)
        {
            var result = await check.MeasureAsync(Start + (Minute * i));
            Assert.NotEqual(Verdict.Pass, result.Verdict);
            if (i == 1440)
            {
                Assert.Equal(Verdict.Inconclusive, result.Verdict);
                Assert.StartsWith("No baseline traffic to compare with (check the baseline selector {version=\"baseline\"}): /home (canary errors 28800/28800), /pay (canary errors 28800/28800)", result.Reason, StringComparison.Ordinal);
                Assert.All(result.Endpoints, e => Assert.Equal(EndpointStatus.Insufficient, e.Status));
            }
        }
    }

    [Fact]
    public async Task MeasureAsync_BaselineMatchesNothing_CanaryFailing_WithACanaryOnlyLimit_Fails()
    {
        var source = new FuncSource(q => q.Selector.Equals(Canary)
            ? new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/pay", 20, 0), new EndpointTraffic("/home", 20, 20)])
            : new TrafficSnapshot(q.End, q.Window, []));
        var check = Check(source, new SequentialErrorRateCriteria { CanaryOnlyMaximumErrorRate = 0.05 });

        CheckResult result;
        var looks = 0;
        do
        {
            result = await check.MeasureAsync(Start + (Minute * ++looks));
            Assert.NotEqual(Verdict.Pass, result.Verdict);
        }
        while (result.Verdict != Verdict.Fail && looks < 60);

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.True(looks <= 2, $"{looks} looks");
        Assert.StartsWith("/pay: canary errors ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("with no baseline to compare with, above the canary-only limit 5%", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.LimitBreached, result.Endpoints.Single(e => e.Endpoint == "/pay").Status);
    }

    [Fact]
    public async Task MeasureAsync_CanaryOnlyAtItsLimit_FalseFailuresWithinAlpha_AndNeverPass()
    {
        // Canary-only traffic whose error rate is exactly the limit (the worst case of the null): over many looks the
        // always-valid test may fail at most α of such canaries. 300 seeded runs of 60 looks of 20 requests.
        var random = new Random(2026);
        var failed = 0;
        const int Runs = 300;
        for (var run = 0; run < Runs; run++)
        {
            var source = new FuncSource(q =>
            {
                if (!q.Selector.Equals(Canary))
                {
                    return new TrafficSnapshot(q.End, q.Window, []);
                }

                var errors = Enumerable.Range(0, 20).Count(_ => random.NextDouble() < 0.05);
                return new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/pay", 20, 20 - errors)]);
            });
            var check = Check(source, new SequentialErrorRateCriteria { CanaryOnlyMaximumErrorRate = 0.05 });
            for (var i = 1; i <= 60; i++)
            {
                var result = await check.MeasureAsync(Start + (Minute * i));
                Assert.NotEqual(Verdict.Pass, result.Verdict);
                if (result.Verdict == Verdict.Fail)
                {
                    failed++;
                    break;
                }
            }
        }

        var rate = failed / (double)Runs;
        Assert.True(rate <= 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / Runs)), $"false failures {rate:P1}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.6)]
    [InlineData(double.NaN)]
    public void Validate_CanaryOnlyMaximumErrorRate_OutOfRange_NamesTheField(double limit)
    {
        var ex = Assert.Throws<ArgumentException>(new SequentialErrorRateCriteria { CanaryOnlyMaximumErrorRate = limit }.Validate);
        Assert.StartsWith("SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate must be null or in (0, 0.5], not ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_CanaryOnlyRoute_IsReportedAndBlocksAPass()
    {
        var source = new FuncSource(q =>
        {
            var healthy = Healthy(q);
            return q.Selector.Equals(Canary)
                ? new TrafficSnapshot(q.End, q.Window, [.. healthy.Endpoints.Values, new EndpointTraffic("/new", 100, 40)])
                : healthy;
        });
        var check = Check(source);

        var result = await check.MeasureAsync(Start + Minute);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("/new (canary errors 60/100)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(EndpointStatus.Insufficient, result.Endpoints.Single(e => e.Endpoint == "/new").Status);
    }

    [Theory]
    [InlineData(1e16)] // beyond 2^53: a double no longer counts one by one
    [InlineData(1e19)] // beyond long.MaxValue: a (long) cast saturates
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public async Task MeasureAsync_CountsNotValid_InconclusiveAndNoEvidence(double requests)
    {
        var broken = false;
        var source = new FuncSource(q => broken && q.Selector.Equals(Canary)
            ? new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/a", new Dictionary<StatusClass, double> { [StatusClass.ServerError] = requests }), Healthy(q).Endpoints["/b"]])
            : Healthy(q));
        var check = Check(source);
        var before = await check.MeasureAsync(Start + Minute);
        broken = true;

        var result = await check.MeasureAsync(Start + (2 * Minute));

        Assert.Equal(Verdict.Pass, before.Verdict);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Counts not valid (NaN, infinite or beyond 2^53) for /a: the window ending 2026-01-01 12:02:00 UTC adds no evidence.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Value, result.Value);
        Assert.Equal(before.Endpoints.Select(e => e.Requests), result.Endpoints.Select(e => e.Requests));
    }

    [Fact]
    public async Task MeasureAsync_CumulativeCountsWouldPass2To53_InconclusiveAndNoEvidence()
    {
        // Each look alone is exact (6e15 < 2^53 ≈ 9.007e15), but the second would take the running total past it.
        var source = new FuncSource(q => new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/a", 6e15, 6e15 - 1000)]));
        var check = Check(source);

        var first = await check.MeasureAsync(Start + Minute);
        var second = await check.MeasureAsync(Start + (2 * Minute));

        Assert.Equal(Verdict.Pass, first.Verdict);
        Assert.Equal(6e15, first.Endpoints.Single().Requests);
        Assert.Equal(Verdict.Inconclusive, second.Verdict);
        Assert.Contains("beyond 2^53", second.Reason, StringComparison.Ordinal);
        Assert.Equal(6e15, second.Endpoints.Single().Requests);
    }

    [Theory]
    [InlineData(DataGapKind.TargetUnreachable, false)]
    [InlineData(DataGapKind.TargetUnreachable, true)]
    [InlineData(DataGapKind.MissingData, true)]
    [InlineData(DataGapKind.PartialResponse, false)]
    public async Task MeasureAsync_SnapshotWithGaps_InconclusiveNamingThem_AndTheWindowIsReadAgain(DataGapKind kind, bool allowPartialResponses)
    {
        var gap = false;
        var source = new FuncSource(q => gap && q.Selector.Equals(Baseline)
            ? new TrafficSnapshot(q.End, q.Window, Healthy(q).Endpoints.Values) { Gaps = [new DataGap(kind, "target web-2 (10.0.0.7:8080): connection refused")] }
            : Healthy(q));
        var check = Check(source, new SequentialErrorRateCriteria { AllowPartialResponses = allowPartialResponses });
        var before = await check.MeasureAsync(Start + Minute);
        gap = true;

        var during = await check.MeasureAsync(Start + (2 * Minute));
        gap = false;
        var after = await check.MeasureAsync(Start + (3 * Minute));

        Assert.Equal(Verdict.Pass, before.Verdict);
        Assert.Equal(Verdict.Inconclusive, during.Verdict);
        Assert.StartsWith($"Incomplete data ({kind}: target web-2 (10.0.0.7:8080): connection refused): the window since 2026-01-01 12:01:00 UTC adds no evidence", during.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Endpoints.Select(e => e.Requests), during.Endpoints.Select(e => e.Requests));

        // The next look reads from the end of the last window used: the gap's minute is counted once, when whole.
        Assert.Equal(Verdict.Pass, after.Verdict);
        Assert.Equal(TimeSpan.FromMinutes(2), source.Queries[^1].Window);
        Assert.Equal(12000, after.Endpoints.Single(e => e.Endpoint == "/a").Requests, 9);
    }

    [Fact]
    public async Task MeasureAsync_PartialResponseAccepted_WhenTheCriteriaOptIn()
    {
        var source = new FuncSource(q => new TrafficSnapshot(q.End, q.Window, Healthy(q).Endpoints.Values) { Gaps = [new DataGap(DataGapKind.PartialResponse, "store eu-1 did not answer")] });
        var check = Check(source, new SequentialErrorRateCriteria { AllowPartialResponses = true });

        Assert.Equal(Verdict.Pass, (await check.MeasureAsync(Start + Minute)).Verdict);
    }

    [Fact]
    public async Task MeasureAsync_FailingEvidenceThenGaps_StaysFailed()
    {
        var gap = false;
        var source = new FuncSource(q => gap
            ? new TrafficSnapshot(q.End, q.Window, []) { Gaps = [new DataGap(DataGapKind.MissingData, "canary series vanished")] }
            : q.Selector.Equals(Canary)
                ? new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/a", 200, 100)])
                : new TrafficSnapshot(q.End, q.Window, [new EndpointTraffic("/a", 2000, 1990)]));
        var check = Check(source, independentErrors: false);

        // The first window alone cannot tell a broken canary from one burst of errors landing in it (it is tempered by its
        // errors); the second, alike, can.
        Assert.NotEqual(Verdict.Fail, (await check.MeasureAsync(Start + Minute)).Verdict);
        Assert.Equal(Verdict.Fail, (await check.MeasureAsync(Start + (2 * Minute))).Verdict);
        gap = true;

        Assert.Equal(Verdict.Fail, (await check.MeasureAsync(Start + (3 * Minute))).Verdict);
    }

    [Fact]
    public async Task MeasureAsync_SourceThrows_PropagatesAndAddsNothing_TheNextLookReadsTheWholeTime()
    {
        var fail = false;
        var source = new FuncSource(q => fail && q.Selector.Equals(Baseline) ? throw new MetricQueryException("q", MetricQueryErrorKind.Backend, "boom") : Healthy(q));
        var check = Check(source);
        await check.MeasureAsync(Start + Minute);
        fail = true;

        await Assert.ThrowsAsync<MetricQueryException>(() => check.MeasureAsync(Start + (2 * Minute)));
        fail = false;
        var result = await check.MeasureAsync(Start + (3 * Minute));

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(TimeSpan.FromMinutes(2), source.Queries[^1].Window);
        Assert.Equal(12000, result.Endpoints.Single(e => e.Endpoint == "/a").Requests, 9);
    }

    [Fact]
    public async Task AnalysisRun_SourceThrowsEveryLook_EndsInErrorNeverSuccessful()
    {
        var source = new FuncSource(_ => throw new InvalidOperationException("catastrophic"));
        var run = new AnalysisRun([new AnalysisMetric { Name = "seq", Check = Check(source), Interval = Minute, Count = 5 }], Start);

        for (var i = 0; i < 60 && !run.IsCompleted; i++)
        {
            await run.TickAsync(Start + TimeSpan.FromSeconds(10 * i));
        }

        Assert.Equal(AnalysisPhase.Error, run.Phase);
        Assert.Contains("catastrophic", run.Message, StringComparison.Ordinal);
    }
}
