using System.Text;
using Canary.Analysis.Tests.TestSupport;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape;

namespace Canary.Analysis.Tests.Metrics.Scrape;

/// <summary>Scrape targets and options: header validation, credentials, redaction in warnings and recordings, connection cap.</summary>
public sealed class ScrapeTrafficSourceSecurityTests
{
    private const string Exposition = "# TYPE http_request_duration_seconds histogram\nhttp_request_duration_seconds_count{endpoint=\"/a\",code=\"200\"} 1\n";
    private static readonly Dictionary<string, string> TextPlain = new() { ["Content-Type"] = "text/plain; version=0.0.4" };

    [Fact]
    public void Constructor_HeaderNameWithSpace_IsATypedErrorNamingTheField()
    {
        var options = new ScrapeOptions();
        options.Headers["X Api Key"] = "v";

        var ex = Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([new Uri("http://127.0.0.1:9/metrics")], TrafficConvention.PrometheusNet, options));

        Assert.Contains("ScrapeOptions.Headers has an invalid header name 'X Api Key'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_CrLfInTokenOrHeader_IsRejectedAndNothingReachesTheTarget()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, Exposition, TextPlain));
        var target = new Uri(server.Address, "metrics");
        var withToken = new ScrapeOptions { BearerToken = "CANARY-tok\r\nX-Injected: 1" };
        var withHeader = new ScrapeOptions();
        withHeader.Headers["X-Api-Key"] = "CANARY-key\r\nX-Injected: 1";

        var token = Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([target], TrafficConvention.PrometheusNet, withToken));
        var header = Assert.Throws<ArgumentException>(() => new ScrapeTrafficSource([target], TrafficConvention.PrometheusNet, withHeader));

        Assert.Contains("ScrapeOptions.BearerToken", token.Message, StringComparison.Ordinal);
        Assert.Contains("ScrapeOptions.Headers['X-Api-Key']", header.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", token.Message + header.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void ScrapeTarget_CredentialsInAddress_AreRejectedWithoutEchoingThem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScrapeTarget(new Uri("http://scraper:CanaryPassw0rd@10.0.0.7:8080/metrics")));

        Assert.Contains("must not carry credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CanaryPassw0rd", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScrapeTarget_NotHttp_IsRejectedWithoutItsQueryString()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScrapeTarget(new Uri("ftp://10.0.0.7/metrics?token=CanaryQueryTok")));

        Assert.DoesNotContain("CanaryQueryTok", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FailingTargetWithTokenInQuery_WarningsAndRecordingsNeverShowIt()
    {
        const string token = "CANARY-query-tok-3d9e";
        const string bearer = "CANARY-bearer-tok-77aa";
        var calls = 0;
        await using var server = new LoopbackHttpServer(request => Interlocked.Increment(ref calls) == 2
            ? new LoopbackResponse(500, $"denied: Authorization: Bearer {bearer} token={token}")
            : new LoopbackResponse(200, Exposition, TextPlain));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var target = new ScrapeTarget(new Uri(server.Address, $"metrics?token={token}"));
        var refused = new ScrapeTarget(new Uri($"http://127.0.0.1:9/metrics?token={token}"));
        using var source = new ScrapeTrafficSource([target, refused], TrafficConvention.PrometheusNet, new ScrapeOptions { BearerToken = bearer, Timeout = TimeSpan.FromSeconds(5) }, clock);
        for (var i = 0; i < 3; i++)
        {
            await source.ScrapeAsync();
            clock.Advance(TimeSpan.FromSeconds(15));
        }

        var recorder = new TrafficRecorder(source);
        var snapshot = await recorder.ReadAsync(new TrafficQuery(LabelSelector.Parse(string.Empty), clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        using var saved = new MemoryStream();
        await recorder.SaveAsync(saved);

        Assert.Contains(server.Requests, r => r.Target.Contains(token, StringComparison.Ordinal)); // the token is sent…
        Assert.NotEmpty(snapshot.Warnings);
        var text = string.Join("\n", snapshot.Warnings.Concat(snapshot.Gaps.Select(g => g.Description))) + Encoding.UTF8.GetString(saved.ToArray())
            + target + refused;
        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal); // …but never shown
        Assert.Contains("?***", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_ManyConcurrentScrapesOfASlowTarget_OpenAtMostTheCap()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, Exposition, TextPlain, TimeSpan.FromMilliseconds(20)));
        using var source = new ScrapeTrafficSource([new Uri(server.Address, "metrics")], TrafficConvention.PrometheusNet, new ScrapeOptions { MaxConnectionsPerServer = 3, Timeout = TimeSpan.FromSeconds(60) });

        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => source.ScrapeAsync()));

        Assert.Equal(60, server.Requests.Count);
        Assert.InRange(server.MaxConcurrentConnections, 1, 3);
    }
}
