using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics.Scrape;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Analysis;

/// <summary>
/// The real sources that keep their own counter history (scrape, in-process registry) on a clock with ticks and a local
/// offset: scrapes and looks at random sub-second offsets must tile, never error, and a healthy canary passes.
/// </summary>
public sealed class RealClockSourceTests
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 1, 17, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(7_654_321);

    private static LoopbackAnswer Pod(int request, double errorsPerScrape) => LoopbackAnswer.Text(FormattableString.Invariant(
        $"# TYPE http_request_duration_seconds histogram\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"200\"}} {300 * (request + 1)}\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"500\"}} {errorsPerScrape * (request + 1)}\n"));

    /// <summary>
    /// About the clock, not the margin: a few hundred requests a scrape prove a 5-point margin from the first look (the
    /// default 1 point needs some 10 000 requests per version here).
    /// </summary>
    private static readonly SequentialErrorRateCriteria LooseMargin = new() { NonInferiorityMargin = 0.05, EstimateErrorDispersion = false }; // exact proportions: independent errors

    [Fact]
    public async Task ScrapeSource_SequentialAndSuccessRateChecks_JitteredTicksAtALocalOffset_PassWithoutError()
    {
        await using var canaryPod = new LoopbackMetricsServer(r => Pod(r, 1));
        await using var baselinePod = new LoopbackMetricsServer(r => Pod(r, 1));
        var clock = new ManualTimeProvider(Start);
        using var source = new ScrapeTrafficSource(
            [new ScrapeTarget(canaryPod.Address, new Dictionary<string, string> { ["version"] = "canary" }), new ScrapeTarget(baselinePod.Address, new Dictionary<string, string> { ["version"] = "baseline" })],
            TrafficConvention.PrometheusNet,
            new ScrapeOptions { Timeout = TimeSpan.FromSeconds(30) },
            clock);
        var canary = LabelSelector.Parse("version=\"canary\"");
        var baseline = LabelSelector.Parse("version=\"baseline\"");
        var minute = TimeSpan.FromMinutes(1);
        var run = new AnalysisRun(
        [
            new AnalysisMetric { Name = "sequential", Check = new SequentialErrorRateCheck(source, canary, baseline, minute, LooseMargin), Interval = minute, InitialDelay = minute, Count = 5 },
            new AnalysisMetric { Name = "success", Check = new SuccessRateCheck(source, canary, minute, new SuccessRateCriteria()), Interval = minute, InitialDelay = minute, Count = 5 },
        ], Start);
        var random = new Random(5);
        await source.ScrapeAsync();
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            // Scrapes about every 15 s and ticks about every 30 s, each at any tick.
            clock.Advance(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond)));
            await source.ScrapeAsync();
            if (i % 2 == 1)
            {
                await run.TickAsync(clock.GetUtcNow());
            }
        }

        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.All(run.Metrics, m => Assert.Equal((5, 5, 0), (m.Count, m.Successful, m.Errors)));
    }
}
