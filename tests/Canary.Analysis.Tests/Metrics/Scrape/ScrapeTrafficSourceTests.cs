using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Flurl.Http.Testing;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Tests.Metrics.Scrape;

public sealed class ScrapeTrafficSourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Uri A = new("http://a.test:9000/metrics");
    private static readonly Uri B = new("http://b.test:9000/metrics");
    private const string Text = "text/plain; version=0.0.4; charset=utf-8";

    private static string Counter(params (string Endpoint, string Code, double Value)[] series) =>
        "# TYPE http_request_duration_seconds histogram\n" +
        string.Concat(series.Select(s => FormattableString.Invariant($"http_request_duration_seconds_count{{endpoint=\"{s.Endpoint}\",code=\"{s.Code}\"}} {s.Value}\n")));

    private static TrafficQuery Window(DateTimeOffset end, int seconds, string selector = "") =>
        new(LabelSelector.Parse(selector), end, TimeSpan.FromSeconds(seconds));

    private static async Task ScrapeSequence(ScrapeTrafficSource source, ManualTimeProvider clock, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await source.ScrapeAsync();
            clock.Advance(TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public async Task ReadAsync_SeriesAppearingAfterFirstScrape_CountsFromZero()
    {
        using var http = new HttpTest();
        http.RespondWith(string.Empty, 200, new { Content_Type = Text })
            .RespondWith(Counter(("/a", "200", 40), ("/b", "200", 25), ("/b", "500", 5), ("/c", "404", 3)), 200, new { Content_Type = Text });
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, timeProvider: clock);

        await ScrapeSequence(source, clock, 2);
        var snapshot = await source.ReadAsync(Window(T0.AddSeconds(15), 15));

        Assert.Empty(snapshot.Warnings);
        Assert.Equal(40, snapshot.Endpoints["/a"][StatusClass.Success]);
        Assert.Equal((30.0, 25.0), (snapshot.Endpoints["/b"].Requests, snapshot.Endpoints["/b"].Successes));
        Assert.Equal(3, snapshot.Endpoints["/c"][StatusClass.ClientError]);
        Assert.Equal(73, snapshot.TotalRequests);
        http.ShouldHaveCalled(A.ToString()).WithHeader("Accept", "application/openmetrics-text*").Times(2);
    }

    [Fact]
    public async Task ReadAsync_SeriesInFirstScrape_CountsFromThatSample_ResetAddsNewValue()
    {
        using var http = new HttpTest();
        foreach (var value in new[] { 10.0, 15, 3, 7 })
        {
            http.RespondWith(Counter(("/a", "200", value)), 200, new { Content_Type = Text });
        }

        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, timeProvider: clock);
        await ScrapeSequence(source, clock, 4);

        var all = await source.ReadAsync(Window(T0.AddSeconds(45), 45));
        var lastTwo = await source.ReadAsync(Window(T0.AddSeconds(45), 15));

        Assert.Equal(5 + 3 + 4, all.Endpoints["/a"].Requests);
        Assert.Equal(4, lastTwo.Endpoints["/a"].Requests);
    }

    [Fact]
    public async Task ReadAsync_FailedScrapes_WarnAndAreSpanned_UnknownTargetWarned()
    {
        using var http = new HttpTest();
        http.ForCallsTo(A.ToString())
            .RespondWith(Counter(("/a", "200", 1)), 200, new { Content_Type = Text })
            .RespondWith("boom", 500)
            .RespondWith(Counter(("/a", "200", 9)), 200, new { Content_Type = Text });
        http.ForCallsTo(B.ToString()).RespondWith("oops", 503);
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A, B], TrafficConvention.PrometheusNet, timeProvider: clock);
        await ScrapeSequence(source, clock, 3);

        var snapshot = await source.ReadAsync(Window(T0.AddSeconds(30), 30));

        Assert.Equal(8, snapshot.Endpoints["/a"].Requests);
        Assert.Contains(snapshot.Warnings, w => w.Contains("a.test", StringComparison.Ordinal) && w.Contains("1 of 3 scrapes", StringComparison.Ordinal) && w.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.Contains(snapshot.Warnings, w => w.Contains("b.test", StringComparison.Ordinal) && w.Contains("no successful scrape", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_NoTargetHasData_EmptySnapshotWithWarning()
    {
        using var http = new HttpTest();
        http.RespondWith("x{", 200, new { Content_Type = Text }).RespondWith(Counter(("/a", "200", 1)), 200, new { Content_Type = Text });
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, timeProvider: clock);
        await ScrapeSequence(source, clock, 2);

        var snapshot = await source.ReadAsync(Window(T0.AddSeconds(15), 15));

        Assert.Empty(snapshot.Endpoints);
        Assert.Contains(snapshot.Warnings, w => w.Contains("Line 1", StringComparison.Ordinal));
        Assert.Contains(snapshot.Warnings, w => w.Contains("only one successful scrape", StringComparison.Ordinal));
        Assert.Contains(snapshot.Warnings, w => w.Contains("traffic is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_SelectorMatchesTargetAndSeriesLabels()
    {
        using var http = new HttpTest();
        http.ForCallsTo(A.ToString())
            .RespondWith(Counter(("/api/x", "200", 0), ("/health", "200", 0)), 200, new { Content_Type = Text })
            .RespondWith(Counter(("/api/x", "200", 10), ("/health", "200", 50)), 200, new { Content_Type = Text });
        http.ForCallsTo(B.ToString())
            .RespondWith(Counter(("/api/x", "200", 0)), 200, new { Content_Type = Text })
            .RespondWith(Counter(("/api/x", "200", 99)), 200, new { Content_Type = Text });
        var clock = new ManualTimeProvider(T0);
        var canary = new ScrapeTarget(A, new Dictionary<string, string> { ["version"] = "canary" });
        var stable = new ScrapeTarget(B, new Dictionary<string, string> { ["version"] = "stable" });
        using var source = new ScrapeTrafficSource([canary, stable], TrafficConvention.PrometheusNet, timeProvider: clock);
        await ScrapeSequence(source, clock, 2);

        var snapshot = await source.ReadAsync(Window(T0.AddSeconds(15), 15, "version=\"canary\",endpoint!~\"/health|/metrics\",instance=~\"a\\\\.test:.*\""));
        var notCanary = await source.ReadAsync(Window(T0.AddSeconds(15), 15, "version!=\"canary\",endpoint=~\"/api/.*\""));

        Assert.Equal(["/api/x"], snapshot.Endpoints.Keys);
        Assert.Equal(10, snapshot.TotalRequests);
        Assert.Equal(99, notCanary.TotalRequests);
    }

    [Fact]
    public async Task ReadAsync_OpenMetricsAndLatency_BucketDeltasPerEndpoint()
    {
        const string om = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        static string Body(double fast, double total, double sum) => FormattableString.Invariant($$"""
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_sum{endpoint="/a",code="200"} {{sum}}
            http_request_duration_seconds_count{endpoint="/a",code="200"} {{total}}
            http_request_duration_seconds_bucket{endpoint="/a",code="200",le="0.1"} {{fast}} # {trace_id="t"} 0.05
            http_request_duration_seconds_bucket{endpoint="/a",code="200",le="+Inf"} {{total}}
            http_request_duration_seconds_created{endpoint="/a",code="200"} 1.7e9
            # EOF

            """);
        using var http = new HttpTest();
        http.RespondWith(Body(1, 2, 0.5), 200, new { Content_Type = om }).RespondWith(Body(4, 12, 3.5), 200, new { Content_Type = om });
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, timeProvider: clock);
        await ScrapeSequence(source, clock, 2);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, T0.AddSeconds(15), TimeSpan.FromSeconds(15)) { IncludeLatency = true });

        var latency = snapshot.Endpoints["/a"].Latency!;
        Assert.Equal(10, snapshot.Endpoints["/a"].Requests);
        Assert.Equal(10, latency.Count);
        Assert.Equal(3.0, latency.Sum, 9);
        Assert.Equal([(0.1, 3.0), (double.PositiveInfinity, 10.0)], latency.Buckets);
    }

    [Fact]
    public async Task ScrapeAsync_RetentionDropsOldScrapes_BodyLimitAndHeaders()
    {
        using var http = new HttpTest();
        http.RespondWith(Counter(("/a", "200", 1)), 200, new { Content_Type = Text })
            .RespondWith(Counter(("/a", "200", 2)), 200, new { Content_Type = Text })
            .RespondWith(Counter(("/a", "200", 3) , ("/b", "200", 12345678)), 200, new { Content_Type = Text });
        var clock = new ManualTimeProvider(T0);
        var options = new ScrapeOptions { Retention = TimeSpan.FromSeconds(20), MaxResponseBytes = 120, BearerToken = "s3cret", PreferOpenMetrics = false };
        options.Headers["X-Tenant"] = "t1";
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, options, clock);
        await ScrapeSequence(source, clock, 3);

        var snapshot = await source.ReadAsync(Window(T0.AddSeconds(30), 30));

        // The first scrape is older than the retention, the third is too large: only one scrape is left.
        Assert.Empty(snapshot.Endpoints);
        Assert.Contains(snapshot.Warnings, w => w.Contains("MaxResponseBytes", StringComparison.Ordinal));
        http.ShouldHaveCalled(A.ToString()).WithOAuthBearerToken("s3cret").WithHeader("X-Tenant", "t1").WithHeader("Accept", "text/plain*").Times(3);
    }

    [Fact]
    public void Ctor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource(Array.Empty<Uri>(), TrafficConvention.PrometheusNet));
        Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([A, A], TrafficConvention.PrometheusNet));
        Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([new Uri("ftp://x/metrics")], TrafficConvention.PrometheusNet));
        Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, new ScrapeOptions { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new ScrapeTarget(A, new Dictionary<string, string> { ["bad-name"] = "x" }));
    }

    [Fact]
    public async Task ReadAsync_LatencyWithoutHistogram_Throws()
    {
        using var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet with { LatencyHistogramMetric = null });

        await Assert.ThrowsAsync<InvalidOperationException>(() => source.ReadAsync(new TrafficQuery(LabelSelector.Empty, T0, TimeSpan.FromMinutes(1)) { IncludeLatency = true }));
    }

    [Fact]
    public async Task ReadAsync_ConventionFixedMatchersAndStatusValues_AppliedAsThePrometheusSourceDoes()
    {
        // Linkerd: only direction="inbound" counts, and classification="failure" is a failure.
        static string Linkerd(double success, double failure, double outbound) =>
            "# TYPE response_total counter\n" +
            FormattableString.Invariant($"response_total{{direction=\"inbound\",classification=\"success\"}} {success}\n") +
            FormattableString.Invariant($"response_total{{direction=\"inbound\",classification=\"failure\"}} {failure}\n") +
            FormattableString.Invariant($"response_total{{direction=\"outbound\",classification=\"success\"}} {outbound}\n");
        using var http = new HttpTest();
        http.RespondWith(Linkerd(0, 0, 0), 200, new { Content_Type = Text })
            .RespondWith(Linkerd(90, 10, 1000), 200, new { Content_Type = Text });
        var clock = new ManualTimeProvider(T0);
        using var source = new ScrapeTrafficSource([A], TrafficConvention.Linkerd, timeProvider: clock);

        await ScrapeSequence(source, clock, 2);
        var traffic = Assert.Single((await source.ReadAsync(Window(T0.AddSeconds(15), 15))).Endpoints).Value;

        Assert.Equal((100.0, 90.0, 10.0), (traffic.Requests, traffic.Successes, traffic[StatusClass.ServerError]));
    }
}
