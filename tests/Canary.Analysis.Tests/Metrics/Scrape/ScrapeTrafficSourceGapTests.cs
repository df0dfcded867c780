using System.Text;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Tests.Metrics.Scrape;

/// <summary>
/// Scraping real sockets on 127.0.0.1: a pod that is refused, answers 5xx or resets must leave a gap in the version's
/// snapshot, never let the reachable pods alone stand for the version; invalid counts are unusable, not healthy.
/// </summary>
public sealed class ScrapeTrafficSourceGapTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public enum Fault
    {
        Refused,
        Status500,
        Status503,
        Reset,
    }

    private static string Counter(double ok, double errors) => FormattableString.Invariant(
        $"# TYPE http_request_duration_seconds histogram\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"200\"}} {ok}\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"500\"}} {errors}\n");

    // A healthy pod: 100 more successes per scrape, no errors.
    private static LoopbackAnswer Healthy(int request) => LoopbackAnswer.Text(Counter(100 * (request + 1), 0));

    private static ScrapeOptions Options() => new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<TrafficSnapshot> ScrapeAndRead(ScrapeTrafficSource source, ManualTimeProvider clock, int scrapes)
    {
        var start = clock.Now;
        for (var i = 0; i < scrapes; i++)
        {
            if (i > 0)
            {
                clock.Advance(Interval);
            }

            await source.ScrapeAsync();
        }

        return await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, clock.Now, clock.Now - start));
    }

    [Theory]
    [InlineData(Fault.Refused)]
    [InlineData(Fault.Status500)]
    [InlineData(Fault.Status503)]
    [InlineData(Fault.Reset)]
    public async Task ReadAsync_OneOfTwoPodsUnreachableForTheWholeWindow_GapNamesIt(Fault fault)
    {
        await using var healthy = new LoopbackMetricsServer(Healthy);
        await using var broken = new LoopbackMetricsServer(_ => fault switch
        {
            Fault.Status500 => LoopbackAnswer.Error(500),
            Fault.Status503 => LoopbackAnswer.Error(503),
            _ => LoopbackAnswer.ConnectionReset(),
        });
        var brokenAddress = fault == Fault.Refused ? LoopbackMetricsServer.RefusedAddress() : broken.Address;
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, brokenAddress], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 3);

        Assert.False(snapshot.IsComplete);
        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.TargetUnreachable, gap.Kind);
        Assert.Contains($"127.0.0.1:{brokenAddress.Port}", gap.Description, StringComparison.Ordinal);
        Assert.Contains("no successful scrape since", gap.Description, StringComparison.Ordinal);
        Assert.DoesNotContain($"127.0.0.1:{healthy.Address.Port}", gap.Description, StringComparison.Ordinal);
        Assert.Equal(200, snapshot.Endpoints["/pay"].Requests); // the reachable pod's data is kept, but the snapshot says it is not all
    }

    [Theory]
    [InlineData(Fault.Refused)]
    [InlineData(Fault.Status503)]
    public async Task SuccessRateCheck_OneOfTwoCanaryPodsUnreachable_InconclusiveNamingIt_WhereTheReachablePodAloneWouldPass(Fault fault)
    {
        await using var healthy = new LoopbackMetricsServer(Healthy);
        await using var broken = new LoopbackMetricsServer(_ => LoopbackAnswer.Error(503));
        var brokenAddress = fault == Fault.Refused ? LoopbackMetricsServer.RefusedAddress() : broken.Address;
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, brokenAddress], TrafficConvention.PrometheusNet, Options(), clock);
        using var alone = new ScrapeTrafficSource([healthy.Address], TrafficConvention.PrometheusNet, Options(), clock);
        var window = Interval * 3;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                clock.Advance(Interval);
            }

            await source.ScrapeAsync();
            await alone.ScrapeAsync();
        }

        var result = await new SuccessRateCheck(source, LabelSelector.Empty, window, new SuccessRateCriteria()).MeasureAsync(clock.Now);
        var control = await new SuccessRateCheck(alone, LabelSelector.Empty, window, new SuccessRateCriteria()).MeasureAsync(clock.Now);

        Assert.Equal(Verdict.Pass, control.Verdict);
        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Incomplete data (TargetUnreachable: ", result.Reason, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{brokenAddress.Port}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_PodHealthyThenStopsAnswering_GapSinceItsLastSuccess()
    {
        await using var flaky = new LoopbackMetricsServer(request => request < 2 ? Healthy(request) : LoopbackAnswer.Error(503));
        await using var healthy = new LoopbackMetricsServer(Healthy);
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, flaky.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 4);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.TargetUnreachable, gap.Kind);
        Assert.Contains($"127.0.0.1:{flaky.Address.Port}", gap.Description, StringComparison.Ordinal);
        Assert.Contains("no successful scrape since 2026-01-01T00:00:15.000Z", gap.Description, StringComparison.Ordinal);
        Assert.Contains("2 failed after it", gap.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TransientFailureBetweenSuccesses_SpannedWithoutGap()
    {
        await using var server = new LoopbackMetricsServer(request => request == 1 ? LoopbackAnswer.Error(502) : Healthy(request));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([server.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 3);

        Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Gaps));
        Assert.Equal(200, snapshot.Endpoints["/pay"].Requests);
        Assert.Contains(snapshot.Warnings, w => w.Contains("1 of 3 scrapes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_OnlyOneSuccessfulScrape_MissingDataGap()
    {
        await using var healthy = new LoopbackMetricsServer(Healthy);
        await using var late = new LoopbackMetricsServer(request => request == 0 ? LoopbackAnswer.Error(500) : Healthy(request));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, late.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 2);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.MissingData, gap.Kind);
        Assert.Contains($"127.0.0.1:{late.Address.Port}", gap.Description, StringComparison.Ordinal);
        Assert.Contains("only one successful scrape", gap.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8Body_FailedScrapeAndGap()
    {
        var valid = Encoding.UTF8.GetBytes(Counter(5, 0));
        var invalid = valid.ToArray();
        invalid[^4] = 0xC3; // a lead byte followed by ASCII: not UTF-8
        await using var healthy = new LoopbackMetricsServer(Healthy);
        await using var garbled = new LoopbackMetricsServer(_ => LoopbackAnswer.Bytes(invalid));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, garbled.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 2);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.TargetUnreachable, gap.Kind);
        Assert.Contains("UTF-8", gap.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10", "NaN")]
    [InlineData("NaN", "10")]
    [InlineData("10", "+Inf")]
    [InlineData("-Inf", "10")]
    [InlineData("-5", "-3")]
    [InlineData("10", "1e16")]
    [InlineData("9007199254740992", "1e300")]
    public async Task ReadAsync_InvalidErrorCount_EndpointUnusableAndGap(string first, string second)
    {
        var values = new[] { first, second };
        await using var server = new LoopbackMetricsServer(request => LoopbackAnswer.Text(
            $"# TYPE http_request_duration_seconds histogram\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"200\"}} {100 * (request + 1)}\nhttp_request_duration_seconds_count{{endpoint=\"/pay\",code=\"500\"}} {values[Math.Min(request, 1)]}\n"));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([server.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 2);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.MissingData, gap.Kind);
        Assert.Contains("not valid counts", gap.Description, StringComparison.Ordinal);
        Assert.True(double.IsNaN(snapshot.Endpoints["/pay"].Requests), $"requests: {snapshot.Endpoints["/pay"].Requests}");
        Assert.Contains(snapshot.Warnings, w => w.Contains("no usable data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_CountsUpTo2Pow53_AreValid()
    {
        await using var server = new LoopbackMetricsServer(request => LoopbackAnswer.Text(Counter(request == 0 ? 9007199254740000 : 9007199254740992, 0)));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([server.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 2);

        Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Gaps));
        Assert.Equal(992, snapshot.Endpoints["/pay"].Requests);
    }

    [Fact]
    public async Task ReadAsync_CounterReset_FollowedWithWarning()
    {
        var ok = new[] { 500.0, 40, 90 };
        await using var server = new LoopbackMetricsServer(request => LoopbackAnswer.Text(Counter(ok[request], 0)));
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([server.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 3);

        Assert.True(snapshot.IsComplete);
        Assert.Equal(40 + 50, snapshot.Endpoints["/pay"].Requests);
        Assert.Contains(snapshot.Warnings, w => w.Contains("counter reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_TargetWithTokenInQuery_GapDoesNotShowIt()
    {
        // Credentials in the address itself are refused when the target is built (ScrapeTrafficSourceSecurityTests).
        var refused = LoopbackMetricsServer.RefusedAddress();
        var secret = new UriBuilder(refused) { Query = "token=s3cret" }.Uri;
        await using var healthy = new LoopbackMetricsServer(Healthy);
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([healthy.Address, secret], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 2);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Contains($"127.0.0.1:{refused.Port}/metrics", gap.Description, StringComparison.Ordinal);
        foreach (var text in snapshot.Warnings.Append(gap.Description))
        {
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadAsync_CounterResetAfterFailedScrapes_CannotBeFollowed_Gap()
    {
        // 100, 200, two 503s (the pod crashed), then 5: it restarted while unreachable.
        var answers = new[] { Healthy(0), Healthy(1), LoopbackAnswer.Error(503), LoopbackAnswer.Error(503), LoopbackAnswer.Text(Counter(5, 0)) };
        await using var server = new LoopbackMetricsServer(request => answers[Math.Min(request, answers.Length - 1)]);
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([server.Address], TrafficConvention.PrometheusNet, Options(), clock);

        var snapshot = await ScrapeAndRead(source, clock, 5);

        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.MissingData, gap.Kind);
        Assert.Contains("restarted while its scrapes failed (between 2026-01-01T00:00:15.000Z and 2026-01-01T00:01:00.000Z", gap.Description, StringComparison.Ordinal);
    }
}
