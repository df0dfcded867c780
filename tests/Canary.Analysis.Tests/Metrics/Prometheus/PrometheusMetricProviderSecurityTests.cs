using System.Globalization;
using System.Runtime.CompilerServices;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Tests.TestSupport;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

/// <summary>Header injection, credentials, connection cap and Retry-After, checked on the wire against a loopback server.</summary>
public sealed class PrometheusMetricProviderSecurityTests
{
    private const string VectorJson = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1,"1"]}]}}""";

    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    public static TheoryData<string, Action<PrometheusOptions>> InjectionVectors => new()
    {
        { "BearerToken", o => o.BearerToken = "tok\r\nX-Injected: 1" },
        { "BearerToken", o => o.BearerToken = "tok\nX-Injected: 1" },
        { "Password", o => { o.Username = "user"; o.Password = "pw\r\nX-Injected: 1"; } },
        { "Username", o => o.Username = "user\r\nX-Injected: 1" },
        { "Headers['X-Api-Key']", o => o.Headers["X-Api-Key"] = "key\r\nX-Injected: 1" },
        { "TenantId", o => o.TenantId = "team\r\nX-Injected: 1" },
        { "Headers", o => o.Headers["X-Injected: 1\r\nX-Other"] = "v" },
    };

    [Theory]
    [MemberData(nameof(InjectionVectors))]
    public async Task Constructor_CrLfInAHeader_IsRejectedAndNothingReachesTheServer(string field, Action<PrometheusOptions> inject)
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(VectorJson));
        var options = new PrometheusOptions { Address = server.Address };
        inject(options);

        var ex = Assert.Throws<ArgumentException>(() =>
        {
            using var provider = new PrometheusMetricProvider(options);
            provider.QueryAsync("up", Time).GetAwaiter().GetResult();
        });

        Assert.Contains("PrometheusOptions." + field, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        if (field is "BearerToken" or "Password" or "Headers['X-Api-Key']")
        {
            Assert.DoesNotContain("X-Injected", ex.Message, StringComparison.Ordinal); // secrets are never shown
        }

        Assert.DoesNotContain(server.Requests, r => r.HasHeader("X-Injected"));
    }

    [Fact]
    public void Constructor_HeaderNameWithSpace_IsATypedErrorNamingTheField()
    {
        var options = new PrometheusOptions { Address = new Uri("http://127.0.0.1:9/") };
        options.Headers["X Api Key"] = "v";

        var ex = Assert.Throws<ArgumentException>(() => new PrometheusMetricProvider(options));

        Assert.Contains("PrometheusOptions.Headers has an invalid header name 'X Api Key'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ValidHeaders_ArriveExactlyOnce()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(VectorJson));
        var options = new PrometheusOptions { Address = server.Address, BearerToken = "tok-1234", TenantId = "team-a" };
        options.Headers["X-Api-Key"] = "key 5678";
        using var provider = new PrometheusMetricProvider(options);

        await provider.QueryAsync("up", Time);

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer tok-1234", request.Header("Authorization"));
        Assert.Equal("key 5678", request.Header("X-Api-Key"));
        Assert.Equal("team-a", request.Header("X-Scope-OrgID"));
        Assert.Equal("query=up&time=1700000000", request.Body);
    }

    [Fact]
    public void Constructor_CredentialsInAddress_AreRejectedWithoutEchoingThem()
    {
        var options = new PrometheusOptions { Address = new Uri("http://admin:CanaryPassw0rd@prometheus:9090/") };

        var ex = Assert.Throws<ArgumentException>(() => new PrometheusMetricProvider(options));

        Assert.Contains("PrometheusOptions.Address must not carry credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CanaryPassw0rd", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("admin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TokenInAddressQuery_IsRejectedWithoutEchoingIt()
    {
        var options = new PrometheusOptions { Address = new Uri("http://prometheus:9090/?token=CanaryQueryTok") };

        var ex = Assert.Throws<ArgumentException>(() => new PrometheusMetricProvider(options));

        Assert.DoesNotContain("CanaryQueryTok", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_RateLimitedWithDeltaSeconds_SetsRetryAfter()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "7" }));
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task QueryAsync_RateLimitedWithHttpDate_RetryAfterIsRelativeToTheInjectedClock()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var date = now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(429, "{}", new Dictionary<string, string> { ["Retry-After"] = date }));
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address }, new ManualTimeProvider(now));

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
    }

    /// <summary>A server answering 429 with the given Retry-After while the box holds true, an empty vector after.</summary>
    private static LoopbackHttpServer RateLimitedWhile(StrongBox<bool> limited, string retryAfter) => new(_ => limited.Value
        ? new LoopbackResponse(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = retryAfter })
        : LoopbackResponse.Json("""{"status":"success","data":{"resultType":"vector","result":[]}}"""));

    [Fact]
    public async Task QueryAsync_RateLimited_NothingIsSentBeforeRetryAfter_ThenQueriesAgain()
    {
        var limited = new StrongBox<bool>(true);
        await using var server = RateLimitedWhile(limited, retryAfter: "30");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address }, clock);

        await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));
        limited.Value = false;
        clock.Advance(TimeSpan.FromSeconds(12));
        var held = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryRangeAsync("rate(x[1m])", Time, Time.AddMinutes(5), TimeSpan.FromMinutes(1)));

        Assert.Single(server.Requests);
        Assert.Equal(MetricQueryErrorKind.RateLimited, held.Kind);
        Assert.Equal(TimeSpan.FromSeconds(18), held.RetryAfter);
        Assert.Equal("rate(x[1m])", held.Query);
        Assert.Contains("not sent", held.Message, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(18));
        Assert.Empty((await provider.QueryAsync("up", Time)).Series);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task QueryAsync_RateLimitedForAYear_HoldsAtMostFiveMinutes()
    {
        var limited = new StrongBox<bool>(true);
        await using var server = RateLimitedWhile(limited, retryAfter: "31536000");
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address }, clock);

        var first = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));
        limited.Value = false;
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var held = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));
        clock.Advance(TimeSpan.FromTicks(1));
        await provider.QueryAsync("up", Time);

        Assert.Equal(TimeSpan.FromDays(365), first.RetryAfter);
        Assert.Equal(TimeSpan.FromTicks(1), held.RetryAfter);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task QueryAsync_RateLimitedWithoutRetryAfter_LeavesItNull()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(429, "slow down"));
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = server.Address });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Null(ex.RetryAfter);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task QueryAsync_ManyConcurrentReadsAgainstASlowServer_OpenAtMostTheCap(int cap)
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(VectorJson) with { Delay = TimeSpan.FromMilliseconds(20) });
        var options = new PrometheusOptions { Address = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (cap != 16)
        {
            options.MaxConnectionsPerServer = cap;
        }

        using var provider = new PrometheusMetricProvider(options);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => provider.QueryAsync("up", Time)));

        Assert.All(results, r => Assert.Single(r.Series));
        Assert.Equal(200, server.Requests.Count);
        Assert.InRange(server.MaxConcurrentConnections, 1, cap);
    }

    [Fact]
    public async Task QueryAsync_ErrorBodyEchoingCredentials_IsRedactedEverywhere()
    {
        const string token = "CANARY-bearer-7f3a9c";
        const string apiKey = "CANARY-header-51e2b0";
        var echo = $"Unauthorized.\nRequest was:\nPOST /api/v1/query\nAuthorization: Bearer {token}\nX-Api-Key: {apiKey}\n";
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(401, echo));
        var options = new PrometheusOptions { Address = server.Address, BearerToken = token };
        options.Headers["X-Proxy-Auth"] = apiKey;
        using var provider = new PrometheusMetricProvider(options);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time));

        Assert.Equal(MetricQueryErrorKind.Unauthorized, ex.Kind);
        Assert.Contains("Unauthorized", ex.Message, StringComparison.Ordinal);
        foreach (var text in new[] { ex.Message, ex.ToString(), ex.BackendMessage ?? string.Empty })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task QueryAsync_TransportFailure_CarriesNoFlurlExceptionOrRequestUrl()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(VectorJson));
        var address = server.Address;
        await server.DisposeAsync(); // nothing listens there any more: connection refused
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = address, UsePost = false });

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("secret_metric_name_canary", Time));

        Assert.Equal(MetricQueryErrorKind.Transport, ex.Kind);
        Assert.IsNotType<Flurl.Http.FlurlHttpException>(ex.InnerException);
        Assert.DoesNotContain("api/v1/query?", ex.ToString(), StringComparison.Ordinal);
    }
}
