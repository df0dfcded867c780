using System.Text.Json;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Datadog;
using Flurl.Http;
using Flurl.Http.Testing;

namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>
/// The Datadog provider against Flurl's <see cref="HttpTest"/>. Response bodies are the fixtures under
/// <c>Fixtures/</c>: hand-written from Datadog's public API documentation, not recorded from a live account.
/// </summary>
public sealed class DatadogMetricProviderTests
{
    private const string ApiKey = "api-key-secret-0123456789";
    private const string AppKey = "app-key-secret-9876543210";
    private const string Hits = "sum:trace.http.request.hits{service:web,version:canary} by {resource_name}.as_count()";

    private static readonly DateTimeOffset To = DateTimeOffset.FromUnixTimeMilliseconds(1767225300000);
    private static readonly DateTimeOffset From = To.AddMinutes(-5);

    private static DatadogMetricProvider Provider(Action<DatadogOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new DatadogOptions { ApiKey = ApiKey, ApplicationKey = AppKey };
        configure?.Invoke(options);
        return new DatadogMetricProvider(options, time);
    }

    private static string? Header(FlurlCall call, string name) =>
        call.HttpRequestMessage.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task QueryScalarAsync_PostsFormulaBodyWithKeysInHeaders_AndMapsGroupsToLabels()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-grouped.json"));
        using var provider = Provider();

        var result = await provider.QueryScalarAsync(Hits, From, To, DatadogAggregator.Sum);

        var call = Assert.Single(http.CallLog);
        Assert.Equal(HttpMethod.Post, call.HttpRequestMessage.Method);
        Assert.Equal("https://api.datadoghq.com/api/v2/query/scalar", call.Request.Url.ToString());
        Assert.Equal(ApiKey, Header(call, "DD-API-KEY"));
        Assert.Equal(AppKey, Header(call, "DD-APPLICATION-KEY"));
        using var body = JsonDocument.Parse(call.RequestBody!);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal("scalar_request", data.GetProperty("type").GetString());
        var attributes = data.GetProperty("attributes");
        Assert.Equal(1767225000000, attributes.GetProperty("from").GetInt64());
        Assert.Equal(1767225300000, attributes.GetProperty("to").GetInt64());
        var query = attributes.GetProperty("queries")[0];
        Assert.Equal(("metrics", "a", Hits, "sum"), (query.GetProperty("data_source").GetString(), query.GetProperty("name").GetString(), query.GetProperty("query").GetString(), query.GetProperty("aggregator").GetString()));
        Assert.Equal("a", attributes.GetProperty("formulas")[0].GetProperty("formula").GetString());

        Assert.Equal(MetricResultType.Vector, result.ResultType);
        Assert.Equal(2, result.Series.Count); // the null row (no data) is left out
        Assert.Equal("GET /pay", result.Series[0].GetLabel("resource_name"));
        Assert.Equal(new MetricSample(To, 120), Assert.Single(result.Series[0].Samples));
        Assert.Equal(("GET /search", 4000d), (result.Series[1].GetLabel("resource_name"), result.Series[1].Samples[0].Value));
    }

    [Fact]
    public async Task QueryAsync_IsScalarOverTheInstantWindowWithTheInstantAggregator()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-ungrouped.json"));
        using var provider = Provider(o => { o.InstantWindow = TimeSpan.FromMinutes(10); o.InstantAggregator = DatadogAggregator.Last; o.Site = "datadoghq.eu"; });

        var result = await provider.QueryAsync("avg:system.load.1{env:prod}", To);

        var call = Assert.Single(http.CallLog);
        Assert.Equal("https://api.datadoghq.eu/api/v2/query/scalar", call.Request.Url.ToString());
        using var body = JsonDocument.Parse(call.RequestBody!);
        var attributes = body.RootElement.GetProperty("data").GetProperty("attributes");
        Assert.Equal(To.AddMinutes(-10).ToUnixTimeMilliseconds(), attributes.GetProperty("from").GetInt64());
        Assert.Equal("last", attributes.GetProperty("queries")[0].GetProperty("aggregator").GetString());
        var series = Assert.Single(result.Series);
        Assert.Empty(series.Labels);
        Assert.Equal(0.25, series.Samples[0].Value);
    }

    [Theory]
    [InlineData("us3.datadoghq.com", "https://api.us3.datadoghq.com/")]
    [InlineData("us5.datadoghq.com", "https://api.us5.datadoghq.com/")]
    [InlineData("ap1.datadoghq.com", "https://api.ap1.datadoghq.com/")]
    [InlineData("ddog-gov.com", "https://api.ddog-gov.com/")]
    public async Task Site_SelectsApiHost(string site, string expected)
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-empty.json"));
        using var provider = Provider(o => o.Site = site);

        var result = await provider.QueryAsync("avg:x{*}", To);

        Assert.StartsWith(expected, Assert.Single(http.CallLog).Request.Url.ToString(), StringComparison.Ordinal);
        Assert.True(result.IsEmpty);
    }

    [Fact]
    public async Task QueryRangeAsync_PostsTimeseriesWithInterval_AndSkipsNullPoints()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-timeseries.json"));
        using var provider = Provider();

        var result = await provider.QueryRangeAsync(Hits, From, To, TimeSpan.FromMinutes(1));

        var call = Assert.Single(http.CallLog);
        Assert.Equal("https://api.datadoghq.com/api/v2/query/timeseries", call.Request.Url.ToString());
        using var body = JsonDocument.Parse(call.RequestBody!);
        Assert.Equal("timeseries_request", body.RootElement.GetProperty("data").GetProperty("type").GetString());
        Assert.Equal(60000, body.RootElement.GetProperty("data").GetProperty("attributes").GetProperty("interval").GetInt64());
        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        Assert.Equal("GET /pay", result.Series[0].GetLabel("resource_name"));
        Assert.Equal([1d, 3d], result.Series[0].Samples.Select(s => s.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225120000), result.Series[0].Samples[1].Timestamp);
        Assert.Equal([10d, 20d, 30d], result.Series[1].Samples.Select(s => s.Value));
    }

    [Fact]
    public async Task QueryV1Async_GetsWithSecondsAndMapsTagSetOrScope()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v1-query.json"));
        using var provider = Provider();

        var result = await provider.QueryV1Async(Hits, From, To);

        var call = Assert.Single(http.CallLog);
        Assert.Equal(HttpMethod.Get, call.HttpRequestMessage.Method);
        Assert.Equal("/api/v1/query", call.HttpRequestMessage.RequestUri!.AbsolutePath);
        Assert.Equal("1767225000", call.Request.Url.QueryParams.FirstOrDefault("from")?.ToString());
        Assert.Equal("1767225300", call.Request.Url.QueryParams.FirstOrDefault("to")?.ToString());
        Assert.Equal(Hits, call.Request.Url.QueryParams.FirstOrDefault("query")?.ToString());
        Assert.DoesNotContain(ApiKey, call.Request.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        var pay = result.Series[0];
        Assert.Equal("get_/pay", pay.GetLabel("resource_name"));
        Assert.Equal("trace.http.request.hits", pay.GetLabel("__name__"));
        Assert.Equal([12d, 15d], pay.Samples.Select(s => s.Value));
        var search = result.Series[1];
        Assert.Equal(("get_/search", "web", "canary"), (search.GetLabel("resource_name"), search.GetLabel("service"), search.GetLabel("version")));
    }

    [Fact]
    public async Task EmptyResults_AreEmptyNotErrors()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v1-empty.json"));
        http.RespondWith(DatadogFixture.Read("v2-scalar-empty.json"));
        using var provider = Provider();

        Assert.True((await provider.QueryV1Async("avg:system.cpu.user{host:none}", From, To)).IsEmpty);
        Assert.True((await provider.QueryScalarAsync("avg:system.cpu.user{host:none}", From, To, DatadogAggregator.Avg)).IsEmpty);
    }

    [Fact]
    public async Task ErrorsBody_IsBackendErrorNamingTheQuery_WithoutKeys()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-400.json"), 400);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:system.cpu.user{", To));

        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("avg:system.cpu.user{", ex.Query);
        Assert.Contains("Rule 'scope_expr' didn't match", ex.Message, StringComparison.Ordinal);
        Assert.Contains("avg:system.cpu.user{", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AppKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorsStringInA200Body_IsBackendError()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-body-errors.json"));
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryRangeAsync(Hits, From, To, TimeSpan.FromMinutes(1)));

        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Contains("Error parsing query", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, MetricQueryErrorKind.Unauthorized)]
    [InlineData(403, MetricQueryErrorKind.Unauthorized)]
    [InlineData(504, MetricQueryErrorKind.Timeout)]
    [InlineData(500, MetricQueryErrorKind.Backend)]
    public async Task HttpErrors_MapToKinds(int status, MetricQueryErrorKind kind)
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-403.json"), status);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:x{*}", To));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimited_WaitsTheResetOnTheInjectedClock_ThenRetriesOnce()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-429.json"), 429, new { X_RateLimit_Limit = "1600", X_RateLimit_Period = "3600", X_RateLimit_Remaining = "0", X_RateLimit_Reset = "7" });
        http.RespondWith(DatadogFixture.Read("v2-scalar-ungrouped.json"));
        var clock = new ImmediateTimeProvider();
        using var provider = Provider(time: clock);

        var result = await provider.QueryAsync("avg:x{*}", To);

        Assert.Equal(2, http.CallLog.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], clock.Delays);
        Assert.Equal(0.25, result.Series[0].Samples[0].Value);
    }

    [Fact]
    public async Task RateLimitedTwice_ThrowsRateLimitedWithRetryAfter()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-429.json"), 429, new { X_RateLimit_Reset = "3" });
        http.RespondWith(DatadogFixture.Read("errors-429.json"), 429, new { X_RateLimit_Reset = "2" });
        using var provider = Provider(time: new ImmediateTimeProvider());

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:x{*}", To));

        Assert.Equal(2, http.CallLog.Count);
        Assert.Equal(MetricQueryErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Contains("after one retry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitedLongerThanMaxWait_ThrowsAtOnce()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("errors-429.json"), 429, new { X_RateLimit_Reset = "600", X_RateLimit_Period = "3600" });
        var clock = new ImmediateTimeProvider();
        using var provider = Provider(time: clock);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:x{*}", To));

        Assert.Single(http.CallLog);
        Assert.Empty(clock.Delays);
        Assert.Equal(MetricQueryErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromMinutes(10), ex.RetryAfter);
        Assert.Equal("avg:x{*}", ex.Query);
    }

    [Fact]
    public async Task OversizedResponse_IsResponseTooLarge()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-grouped.json"));
        using var provider = Provider(o => o.MaxResponseBytes = 64);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:x{*}", To));

        Assert.Equal(MetricQueryErrorKind.ResponseTooLarge, ex.Kind);
    }

    [Fact]
    public async Task MalformedBody_IsInvalidResponse()
    {
        using var http = new HttpTest();
        http.RespondWith("{\"data\":");
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("avg:x{*}", To));

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public async Task InjectedHttpClient_IsUsedAndNotDisposed()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-ungrouped.json"));
        using var client = new HttpClient();
        using (var provider = new DatadogMetricProvider(client, new DatadogOptions { ApiKey = ApiKey, ApplicationKey = AppKey, Address = new Uri("http://datadog-proxy:8080/") }))
        {
            await provider.QueryAsync("avg:x{*}", To);
        }

        Assert.StartsWith("http://datadog-proxy:8080/api/v2/query/scalar", Assert.Single(http.CallLog).Request.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, client.Timeout);
    }

    [Fact]
    public void Options_InvalidValues_NameFieldAndValue_ButNeverKeys()
    {
        var options = new DatadogOptions { Site = "https://datadoghq.com", ApiKey = "", ApplicationKey = "bad\nkey-secret", Timeout = TimeSpan.Zero, InstantWindow = TimeSpan.FromMinutes(-1) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("DatadogOptions.Site", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'https://datadoghq.com'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DatadogOptions.ApiKey is required; it was empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DatadogOptions.ApplicationKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key-secret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DatadogOptions.Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DatadogOptions.InstantWindow", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new DatadogMetricProvider(options));
    }
}
