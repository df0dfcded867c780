using System.Net;
using System.Text;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Flurl.Http;
using Flurl.Http.Testing;

namespace Canary.Analysis.Tests.Metrics.Prometheus;

public sealed class PrometheusMetricProviderTests
{
    private const string Query = "sum by (endpoint, code) (rate(http_requests_received_total{version=\"canary\"}[5m])) + 1";

    private const string VectorJson = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"endpoint":"/pay","code":"200"},"value":[1435781451.781,"12.5"]}]}}
        """;

    private const string MatrixJson = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"endpoint":"/pay"},"values":[[1435781400,"1"],[1435781415,"2"]]}]}}
        """;

    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1435781451781).ToOffset(TimeSpan.FromHours(2));

    private static PrometheusMetricProvider Provider(Action<PrometheusOptions>? configure = null)
    {
        var options = new PrometheusOptions { Address = new Uri("http://prometheus:9090") };
        configure?.Invoke(options);
        return new PrometheusMetricProvider(options);
    }

    private static Dictionary<string, string> Form(FlurlCall call)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (call.RequestBody ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            form[WebUtility.UrlDecode(parts[0])] = WebUtility.UrlDecode(parts[1]);
        }

        return form;
    }

    private static string? QueryParam(FlurlCall call, string name) =>
        call.Request.Url.QueryParams.FirstOrDefault(name)?.ToString();

    private static string? Header(FlurlCall call, string name) =>
        call.HttpRequestMessage.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task QueryAsync_Default_PostsFormToQueryEndpoint()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider();

        var result = await provider.QueryAsync(Query, Time);

        var call = Assert.Single(http.CallLog);
        Assert.Equal(HttpMethod.Post, call.HttpRequestMessage.Method);
        Assert.Equal("http://prometheus:9090/api/v1/query", call.Request.Url.ToString());
        var form = Form(call);
        Assert.Equal(Query, form["query"]);
        Assert.Equal("1435781451.781", form["time"]);
        Assert.Equal(2, form.Count);
        Assert.StartsWith("application/x-www-form-urlencoded", call.HttpRequestMessage.Content!.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Equal(12.5, result.Series[0].Samples[0].Value);
        Assert.Equal(Query, result.Query);
    }

    [Fact]
    public async Task QueryRangeAsync_Default_PostsFormToQueryRangeEndpoint()
    {
        using var http = new HttpTest();
        http.RespondWith(MatrixJson);
        using var provider = Provider();

        var result = await provider.QueryRangeAsync(Query, Time.AddMinutes(-10), Time, TimeSpan.FromMilliseconds(1500));

        var call = Assert.Single(http.CallLog);
        Assert.Equal(HttpMethod.Post, call.HttpRequestMessage.Method);
        Assert.Equal("http://prometheus:9090/api/v1/query_range", call.Request.Url.ToString());
        var form = Form(call);
        Assert.Equal(Query, form["query"]);
        Assert.Equal("1435780851.781", form["start"]);
        Assert.Equal("1435781451.781", form["end"]);
        Assert.Equal("1.5", form["step"]);
        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        Assert.Equal(2, result.Series[0].Samples.Count);
    }

    [Fact]
    public async Task QueryAsync_UsePostFalse_SendsGetWithQueryParameters()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider(o => o.UsePost = false);

        await provider.QueryAsync(Query, DateTimeOffset.FromUnixTimeSeconds(1700000000));

        var call = Assert.Single(http.CallLog);
        Assert.Equal(HttpMethod.Get, call.HttpRequestMessage.Method);
        Assert.Equal("/api/v1/query", call.HttpRequestMessage.RequestUri!.AbsolutePath);
        Assert.Equal(Query, QueryParam(call, "query"));
        Assert.Equal("1700000000", QueryParam(call, "time"));
        Assert.Null(call.HttpRequestMessage.Content);
    }

    [Fact]
    public async Task QueryRangeAsync_UsePostFalse_SendsGetWithRangeParameters()
    {
        using var http = new HttpTest();
        http.RespondWith(MatrixJson);
        using var provider = Provider(o => o.UsePost = false);

        await provider.QueryRangeAsync("up", DateTimeOffset.FromUnixTimeSeconds(1700000000), DateTimeOffset.FromUnixTimeSeconds(1700003600), TimeSpan.FromSeconds(15));

        http.ShouldHaveCalled("http://prometheus:9090/api/v1/query_range*")
            .WithVerb(HttpMethod.Get)
            .WithQueryParam("query", "up")
            .WithQueryParam("start", "1700000000")
            .WithQueryParam("end", "1700003600")
            .WithQueryParam("step", "15")
            .Times(1);
    }

    [Theory]
    [InlineData(405)]
    [InlineData(501)]
    public async Task QueryAsync_PostNotAllowed_FallsBackToGetAndRemembers(int status)
    {
        using var http = new HttpTest();
        http.ForCallsTo("*").WithVerb(HttpMethod.Post).RespondWith("method not allowed", status);
        http.ForCallsTo("*").WithVerb(HttpMethod.Get).RespondWith(VectorJson);
        using var provider = Provider();

        var first = await provider.QueryAsync(Query, Time);
        var second = await provider.QueryRangeAsync(Query, Time, Time, TimeSpan.FromSeconds(15));

        Assert.Equal(12.5, first.Series[0].Samples[0].Value);
        Assert.Equal(MetricResultType.Vector, second.ResultType);
        Assert.Equal(["POST", "GET", "GET"], http.CallLog.Select(c => c.HttpRequestMessage.Method.Method));
        Assert.Equal(Query, QueryParam(http.CallLog[1], "query"));
        Assert.Equal("1435781451.781", QueryParam(http.CallLog[1], "time"));
        Assert.Equal("15", QueryParam(http.CallLog[2], "step"));
    }

    [Fact]
    public async Task QueryAsync_BearerToken_SendsAuthorizationHeader()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider(o => o.BearerToken = "s3cret");

        await provider.QueryAsync(Query, Time);

        Assert.Equal("Bearer s3cret", Header(http.CallLog[0], "Authorization"));
    }

    [Fact]
    public async Task QueryAsync_BasicAuth_SendsAuthorizationHeader()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider(o =>
        {
            o.Username = "grafana";
            o.Password = "p@ss:word";
        });

        await provider.QueryAsync(Query, Time);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("grafana:p@ss:word"));
        Assert.Equal(expected, Header(http.CallLog[0], "Authorization"));
    }

    [Fact]
    public async Task QueryAsync_TenantAndExtraHeaders_SendsThemOnEveryRequest()
    {
        using var http = new HttpTest();
        http.RespondWith("", 405).RespondWith(VectorJson).RespondWith(VectorJson);
        using var provider = Provider(o =>
        {
            o.TenantId = "team-a";
            o.Headers["X-Api-Key"] = "k1";
            o.Headers["User-Agent"] = "canary-analysis/1.0";
        });

        await provider.QueryAsync(Query, Time);
        await provider.QueryAsync(Query, Time);

        Assert.Equal(3, http.CallLog.Count);
        Assert.All(http.CallLog, call =>
        {
            Assert.Equal("team-a", Header(call, "X-Scope-OrgID"));
            Assert.Equal("k1", Header(call, "X-Api-Key"));
            Assert.Null(Header(call, "Authorization"));
        });
    }

    [Theory]
    [InlineData("https://mimir.example.com/prometheus/")]
    [InlineData("https://mimir.example.com/prometheus")]
    public async Task QueryAsync_PathPrefixedAddress_KeepsThePrefix(string address)
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri(address) });

        await provider.QueryAsync(Query, Time);

        Assert.Equal("https://mimir.example.com/prometheus/api/v1/query", http.CallLog[0].Request.Url.ToString());
    }

    [Fact]
    public async Task QueryAsync_InjectedHttpClientWithBaseAddress_UsesBaseAddressAndDoesNotDisposeClient()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson).RespondWith(VectorJson);
        using var httpClient = new HttpClient { BaseAddress = new Uri("http://thanos-query:10902/prefix/") };

        using (var provider = new PrometheusMetricProvider(httpClient, new PrometheusOptions { TenantId = "t" }))
        {
            await provider.QueryAsync(Query, Time);
        }

        Assert.Equal("http://thanos-query:10902/prefix/api/v1/query", http.CallLog[0].Request.Url.ToString());
        Assert.Equal("t", Header(http.CallLog[0], "X-Scope-OrgID"));

        // Still usable after the provider is gone.
        using var again = new PrometheusMetricProvider(httpClient, new PrometheusOptions());
        await again.QueryAsync(Query, Time);
        Assert.Equal(2, http.CallLog.Count);
    }

    [Fact]
    public async Task QueryAsync_InjectedHttpClientAndAddress_AddressWins()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var httpClient = new HttpClient { BaseAddress = new Uri("http://ignored:1/") };
        using var provider = new PrometheusMetricProvider(httpClient, new PrometheusOptions { Address = new Uri("http://used:9090/") });

        await provider.QueryAsync(Query, Time);

        Assert.Equal("http://used:9090/api/v1/query", http.CallLog[0].Request.Url.ToString());
    }

    [Fact]
    public void Constructor_InjectedHttpClientWithoutAnyAddress_ThrowsNamingAddress()
    {
        using var httpClient = new HttpClient();

        var ex = Assert.Throws<ArgumentException>(() => new PrometheusMetricProvider(httpClient, new PrometheusOptions()));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("PrometheusOptions.Address is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("options", () => new PrometheusMetricProvider(null!));
        Assert.Throws<ArgumentNullException>("httpClient", () => new PrometheusMetricProvider(null!, new PrometheusOptions()));
    }

    [Theory]
    [InlineData(400, "bad_data", "1:5: parse error: unexpected end of input")]
    [InlineData(422, "execution", "expanding series: too many samples")]
    [InlineData(503, "timeout", "query timed out in expression evaluation")]
    public async Task QueryAsync_PrometheusErrorBody_ThrowsBackendWithErrorTypeAndQuery(int status, string errorType, string error)
    {
        using var http = new HttpTest();
        http.RespondWith($$"""{"status":"error","errorType":"{{errorType}}","error":"{{error}}"}""", status);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Equal(errorType, ex.ErrorType);
        Assert.Equal(error, ex.BackendMessage);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(Query, ex.Query);
        Assert.Contains(Query, ex.Message, StringComparison.Ordinal);
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, MetricQueryErrorKind.Unauthorized)]
    [InlineData(403, MetricQueryErrorKind.Unauthorized)]
    [InlineData(429, MetricQueryErrorKind.RateLimited)]
    [InlineData(500, MetricQueryErrorKind.Backend)]
    [InlineData(404, MetricQueryErrorKind.Backend)]
    [InlineData(502, MetricQueryErrorKind.Transport)]
    [InlineData(504, MetricQueryErrorKind.Timeout)]
    public async Task QueryAsync_HtmlErrorPage_MapsStatusToKindWithBodySnippet(int status, MetricQueryErrorKind kind)
    {
        using var http = new HttpTest();
        http.RespondWith($"<html><head><title>{status} Error</title></head><body><h1>nginx says no</h1></body></html>", status);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains($"HTTP {status}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("<title>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Query, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_UnauthorizedWithPrometheusErrorBody_KeepsTheBackendMessage()
    {
        using var http = new HttpTest();
        http.RespondWith("""{"status":"error","errorType":"unauthorized","error":"tenant not allowed"}""", 403);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.Unauthorized, ex.Kind);
        Assert.Equal("tenant not allowed", ex.BackendMessage);
    }

    [Fact]
    public async Task QueryAsync_WarningsInSuccessfulResponse_AreSurfaced()
    {
        using var http = new HttpTest();
        http.RespondWith("""
            {"status":"success","warnings":["partial response: store gateway unavailable"],"infos":["PromQL info: x"],
             "data":{"resultType":"vector","result":[]}}
            """);
        using var provider = Provider();

        var result = await provider.QueryAsync(Query, Time);

        Assert.Equal(["partial response: store gateway unavailable", "PromQL info: x"], result.Warnings);
        Assert.True(result.IsEmpty);
    }

    /// <summary>
    /// A VictoriaMetrics cluster answer without some storage nodes (<c>"isPartial":true</c>) is partial evidence: the traffic
    /// source reports a gap, and a query check is Inconclusive instead of passing on the requests that did arrive.
    /// </summary>
    [Fact]
    public async Task QueryAsync_VictoriaMetricsPartialResponse_IsAGapAndInconclusiveNeverAPass()
    {
        using var http = new HttpTest();
        http.RespondWith("""
            {"status":"success","isPartial":true,"data":{"resultType":"vector","result":[
              {"metric":{"endpoint":"/pay","code":"200"},"value":[1435781451.781,"1000"]}]}}
            """);
        using var provider = Provider();

        var snapshot = await new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet)
            .ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), Time, TimeSpan.FromMinutes(5)));
        var check = await new QueryCheck("success rate", provider, Query, Threshold.AtLeast(0.99)).MeasureAsync(Time);

        Assert.False(snapshot.IsComplete);
        var gap = Assert.Single(snapshot.Gaps);
        Assert.Equal(DataGapKind.PartialResponse, gap.Kind);
        Assert.Contains("isPartial", gap.Description, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, check.Verdict);
        Assert.Contains("isPartial", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_SimulatedTimeout_ThrowsTimeout()
    {
        using var http = new HttpTest();
        http.SimulateTimeout();
        using var provider = Provider(o => o.Timeout = TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.Timeout, ex.Kind);
        Assert.Contains(Query, ex.Message, StringComparison.Ordinal);
        Assert.IsNotAssignableFrom<FlurlHttpException>(ex);
    }

    [Fact]
    public async Task QueryAsync_NetworkFailure_ThrowsTransport()
    {
        using var http = new HttpTest();
        http.SimulateException(new HttpRequestException("Connection refused (prometheus:9090)"));
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.Transport, ex.Kind);
        Assert.Contains("Connection refused", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task QueryAsync_CallerCancelled_ThrowsOperationCanceled()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.QueryAsync(Query, Time, cts.Token));
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"val""")]
    [InlineData("<!DOCTYPE html><html><body>Sign in to continue</body></html>")]
    [InlineData("")]
    public async Task QueryAsync_MalformedBodyWith200_ThrowsInvalidResponse(string body)
    {
        using var http = new HttpTest();
        http.RespondWith(body);
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(200, ex.StatusCode);
        Assert.Contains(body.Length == 0 ? "<empty body>" : body[..20], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_BodyOverLimitWithContentLength_ThrowsResponseTooLarge()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson + new string(' ', 2000));
        using var provider = Provider(o => o.MaxResponseBytes = 1000);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(Query, Time));

        Assert.Equal(MetricQueryErrorKind.ResponseTooLarge, ex.Kind);
        Assert.Contains("Content-Length", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_BodyAtLimit_Succeeds()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        using var provider = Provider(o => o.MaxResponseBytes = Encoding.UTF8.GetByteCount(VectorJson));

        var result = await provider.QueryAsync(Query, Time);

        Assert.Single(result.Series);
    }

    [Fact]
    public async Task QueryAsync_ResultTypes_AreParsed()
    {
        using var http = new HttpTest();
        http.RespondWith("""{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"+Inf"]}}""")
            .RespondWith("""{"status":"success","data":{"resultType":"string","result":[1435781451.781,"v2.53"]}}""");
        using var provider = Provider();

        var scalar = await provider.QueryAsync("1/0", Time);
        var text = await provider.QueryAsync("\"v2.53\"", Time);

        Assert.Equal(double.PositiveInfinity, scalar.Series[0].Samples[0].Value);
        Assert.Equal("v2.53", text.StringValue);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task QueryAsync_EmptyQuery_ThrowsArgumentExceptionNamingQuery(string? query)
    {
        using var provider = Provider();

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.QueryAsync(query!, Time));

        Assert.Equal("query", ex.ParamName);
    }

    [Fact]
    public async Task QueryRangeAsync_NonPositiveStep_ThrowsNamingStep()
    {
        using var provider = Provider();

        var zero = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => provider.QueryRangeAsync(Query, Time, Time, TimeSpan.Zero));
        var negative = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => provider.QueryRangeAsync(Query, Time, Time, TimeSpan.FromSeconds(-1)));

        Assert.Equal("step", zero.ParamName);
        Assert.Equal("step", negative.ParamName);
    }

    [Fact]
    public async Task QueryRangeAsync_EndBeforeStart_ThrowsNamingEnd()
    {
        using var provider = Provider();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => provider.QueryRangeAsync(Query, Time, Time.AddSeconds(-1), TimeSpan.FromSeconds(15)));

        Assert.Equal("end", ex.ParamName);
    }

    [Fact]
    public async Task QueryAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var provider = Provider();
        provider.Dispose();
        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.QueryAsync(Query, Time));
    }
}
