using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>Keys never leak, header values cannot inject headers, Retry-After is read, on the wire against a loopback server.</summary>
public sealed class DatadogMetricProviderSecurityTests
{
    private const string ApiKey = "CANARY-dd-api-4c1f0e";
    private const string AppKey = "CANARY-dd-app-9b27d4";
    private static readonly DateTimeOffset To = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    [Theory]
    [InlineData("ApiKey")]
    [InlineData("ApplicationKey")]
    public async Task Constructor_CrLfInAKey_IsRejectedWithoutShowingItAndNothingIsSent(string field)
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json("{}"));
        var options = new DatadogOptions { Address = server.Address, ApiKey = ApiKey, ApplicationKey = AppKey };
        if (field == "ApiKey")
        {
            options.ApiKey = ApiKey + "\r\nX-Injected: 1";
        }
        else
        {
            options.ApplicationKey = AppKey + "\r\nX-Injected: 1";
        }

        var ex = Assert.Throws<ArgumentException>(() => new DatadogMetricProvider(options));

        Assert.Contains("DatadogOptions." + field, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Constructor_CredentialsInAddress_AreRejectedWithoutEchoingThem()
    {
        var options = new DatadogOptions { Address = new Uri("https://proxy:CanaryPassw0rd@dd-proxy.internal/?api_key=CanaryQueryKey"), ApiKey = ApiKey, ApplicationKey = AppKey };

        var ex = Assert.Throws<ArgumentException>(() => new DatadogMetricProvider(options));

        Assert.Contains("DatadogOptions.Address must not carry credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CanaryPassw0rd", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("CanaryQueryKey", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(400)]
    [InlineData(500)]
    public async Task Query_ErrorBodyEchoingTheKeys_IsRedacted(int status)
    {
        var echo = $$"""{"errors":["Forbidden: request headers were DD-API-KEY: {{ApiKey}}, DD-APPLICATION-KEY: {{AppKey}}"]}""";
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(echo, status));
        using var provider = new DatadogMetricProvider(new DatadogOptions { Address = server.Address, ApiKey = ApiKey, ApplicationKey = AppKey });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryV1Async("avg:system.cpu.user{*}", To.AddMinutes(-5), To));

        Assert.Equal(ApiKey, server.Requests[0].Header("DD-API-KEY"));
        foreach (var text in new[] { ex.Message, ex.ToString(), ex.BackendMessage ?? string.Empty })
        {
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Query_RateLimitedWithOnlyRetryAfter_SetsRetryAfter()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(429, "{}", new Dictionary<string, string> { ["Retry-After"] = "30" }));
        using var provider = new DatadogMetricProvider(new DatadogOptions { Address = server.Address, ApiKey = ApiKey, ApplicationKey = AppKey, MaxRateLimitWait = TimeSpan.Zero });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryV1Async("avg:system.cpu.user{*}", To.AddMinutes(-5), To));

        Assert.Equal(MetricQueryErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task Query_ManyConcurrentReadsAgainstASlowServer_OpenAtMostTheCap()
    {
        const string empty = """{"status":"ok","series":[]}""";
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(empty) with { Delay = TimeSpan.FromMilliseconds(20) });
        using var provider = new DatadogMetricProvider(new DatadogOptions { Address = server.Address, ApiKey = ApiKey, ApplicationKey = AppKey, MaxConnectionsPerServer = 3, Timeout = TimeSpan.FromSeconds(60) });

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => provider.QueryV1Async("avg:x{*}", To.AddMinutes(-5), To)));

        Assert.Equal(100, server.Requests.Count);
        Assert.InRange(server.MaxConcurrentConnections, 1, 3);
    }
}
