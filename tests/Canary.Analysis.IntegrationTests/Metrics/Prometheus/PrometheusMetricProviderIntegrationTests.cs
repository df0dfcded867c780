using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using static Canary.Analysis.IntegrationTests.Infrastructure.StandardFixture;

namespace Canary.Analysis.IntegrationTests.Metrics.Prometheus;

/// <summary>
/// <see cref="PrometheusMetricProvider"/> against a real Prometheus-API engine: result types, errors, special values. The body
/// runs on Prometheus (<see cref="PrometheusMetricProviderOnPrometheusTests"/>) and on VictoriaMetrics
/// (<see cref="PrometheusMetricProviderOnVictoriaMetricsTests"/>); where MetricsQL answers differently, each engine's answer is
/// asserted, and none of them can be judged as a pass on broken evidence.
/// </summary>
public abstract class PrometheusMetricProviderIntegrationTests(PrometheusApiFixtureBase prometheus)
{
    private bool IsVictoriaMetrics => prometheus.Engine == PrometheusApiEngine.VictoriaMetrics;

    private const string CanaryTotal = "sum(http_request_duration_seconds_count{job=\"aspnet\",version=\"canary\"})";

    [PrometheusTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QueryAsync_SyntaxError_ThrowsBackendBadDataNamingTheQuery(bool usePost)
    {
        using var provider = Provider(usePost);
        const string query = "sum(rate(http_request_duration_seconds_count{job=\"aspnet\"}[5m])";

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync(query, End));

        // Prometheus: 400 with errorType "bad_data". VictoriaMetrics: 422 with errorType "422" (its HTTP status as text).
        Assert.Equal(MetricQueryErrorKind.Backend, ex.Kind);
        Assert.Equal(IsVictoriaMetrics ? "422" : "bad_data", ex.ErrorType);
        Assert.Equal(IsVictoriaMetrics ? 422 : 400, ex.StatusCode);
        Assert.Equal(query, ex.Query);
        Assert.Contains(query, ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ex.BackendMessage));
    }

    [PrometheusFact]
    public async Task QueryRangeAsync_TenMinutesEveryMinute_ReturnsElevenPointsEqualToInstantQueries()
    {
        using var provider = Provider();
        var start = End.AddMinutes(-10);

        var result = await provider.QueryRangeAsync(CanaryTotal, start, End, TimeSpan.FromMinutes(1));

        Assert.Equal(MetricResultType.Matrix, result.ResultType);
        var series = Assert.Single(result.Series);
        Assert.Equal(11, series.Samples.Count);
        for (var i = 0; i < series.Samples.Count; i++)
        {
            var at = start.AddMinutes(i);
            Assert.Equal(at, series.Samples[i].Timestamp);
            Assert.Equal(await prometheus.Client.QuerySingleAsync(CanaryTotal, at), series.Samples[i].Value);
        }
    }

    [PrometheusFact]
    public async Task QueryRangeAsync_SubSecondStep_ReturnsExpectedPointCount()
    {
        using var provider = Provider();
        var start = End.AddSeconds(-3);

        var result = await provider.QueryRangeAsync("vector(2)", start, End, TimeSpan.FromMilliseconds(250));

        var series = Assert.Single(result.Series);
        Assert.Equal(13, series.Samples.Count);
        Assert.Equal(End, series.Samples[^1].Timestamp);
    }

    /// <summary>VictoriaMetrics has no scalar result type: a scalar comes back as a vector of one series without labels.</summary>
    [PrometheusFact]
    public async Task QueryAsync_Scalar_ReturnsOneSampleAtTheQueryTime()
    {
        using var provider = Provider();
        var time = End.AddMilliseconds(-250);

        var result = await provider.QueryAsync("scalar(vector(1.5))", time);

        Assert.Equal(IsVictoriaMetrics ? MetricResultType.Vector : MetricResultType.Scalar, result.ResultType);
        var series = Assert.Single(result.Series);
        Assert.Empty(series.Labels);
        var sample = Assert.Single(series.Samples);
        Assert.Equal(1.5, sample.Value);
        Assert.Equal(time, sample.Timestamp);
    }

    /// <summary>VictoriaMetrics (1.79) answers a string literal with an empty vector: no string result, no value.</summary>
    [PrometheusTheory]
    [InlineData("\"canary\"", "canary")]
    [InlineData("\"a\\\"b\\\\c ü\"", "a\"b\\c ü")]
    public async Task QueryAsync_StringLiteral_ReturnsStringResult(string query, string expected)
    {
        using var provider = Provider();

        var result = await provider.QueryAsync(query, End);

        Assert.Equal(IsVictoriaMetrics ? MetricResultType.Vector : MetricResultType.String, result.ResultType);
        Assert.Equal(IsVictoriaMetrics ? null : expected, result.StringValue);
        Assert.True(result.IsEmpty);
    }

    [PrometheusTheory]
    [InlineData("0/0", MetricResultType.Scalar)]
    [InlineData("vector(0)/0", MetricResultType.Vector)]
    [InlineData("sum(increase(http_request_duration_seconds_count{job=\"aspnet\",version=\"canary\",endpoint=\"/api/reports/export\"}[15m])) / sum(increase(http_request_duration_seconds_count{job=\"aspnet\",version=\"canary\",endpoint=\"/api/reports/export\"}[15m]))", MetricResultType.Vector)]
    public async Task QueryAsync_ZeroDividedByZero_ReturnsNaN(string query, MetricResultType type)
    {
        using var provider = Provider();

        var result = await provider.QueryAsync(query, End);

        if (IsVictoriaMetrics)
        {
            // MetricsQL drops NaN samples from its answers: 0/0 is an empty vector, never a number.
            Assert.Equal(MetricResultType.Vector, result.ResultType);
            Assert.True(result.IsEmpty);
            return;
        }

        Assert.Equal(type, result.ResultType);
        Assert.True(double.IsNaN(Assert.Single(Assert.Single(result.Series).Samples).Value));
    }

    /// <summary>
    /// A success rate of an idle endpoint (0/0) is no evidence on either engine: Prometheus answers NaN, VictoriaMetrics an
    /// empty vector, and a query check judges both Inconclusive, never Pass.
    /// </summary>
    [PrometheusFact]
    public async Task QueryCheck_IdleEndpointSuccessRate_IsInconclusive()
    {
        using var provider = Provider();
        var selector = $"job=\"{AspNetJob}\",version=\"canary\",endpoint=\"{AspNetRareEndpoint}\"";
        var check = new QueryCheck(
            "idle success rate",
            provider,
            $"sum(increase(http_request_duration_seconds_count{{{selector},code=~\"2..\"}}[15m])) / sum(increase(http_request_duration_seconds_count{{{selector}}}[15m]))",
            Threshold.AtLeast(0.99));

        var result = await check.MeasureAsync(End);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains(IsVictoriaMetrics ? "No data" : "NaN", result.Reason, StringComparison.Ordinal);
    }

    [PrometheusTheory]
    [InlineData("1/0", double.PositiveInfinity)]
    [InlineData("-1/0", double.NegativeInfinity)]
    [InlineData("vector(1e308) * 10", double.PositiveInfinity)]
    [InlineData("vector(5e-324)", 5e-324)]
    public async Task QueryAsync_SpecialValues_ParseExactly(string query, double expected)
    {
        using var provider = Provider();

        var result = await provider.QueryAsync(query, End);

        Assert.Equal(expected, Assert.Single(Assert.Single(result.Series).Samples).Value);
    }

    [PrometheusFact]
    public async Task QueryAsync_GroupedVector_EqualsRawClientLabelsAndValues()
    {
        using var provider = Provider();
        var query = JobShape.Express.SumIncrease(FixtureVersions.Canary, Window, by: "path, status_code");
        var oracle = await prometheus.Client.QueryAsync(query, End);

        var result = await provider.QueryAsync(query, End);

        Assert.Equal(MetricResultType.Vector, result.ResultType);
        Assert.Equal(oracle.Count, result.Series.Count);
        foreach (var expected in oracle)
        {
            var series = Assert.Single(result.Series, s => s.GetLabel("path") == expected["path"] && s.GetLabel("status_code") == expected["status_code"]);
            Assert.Equal(expected.Value, Assert.Single(series.Samples).Value);
            Assert.Equal(End, series.Samples[0].Timestamp);
        }
    }

    [PrometheusFact]
    public async Task QueryAsync_EmptySelection_ReturnsEmptyVector()
    {
        using var provider = Provider();

        var result = await provider.QueryAsync("http_request_duration_seconds_count{job=\"no-such-job\"}", End);

        Assert.Equal(MetricResultType.Vector, result.ResultType);
        Assert.True(result.IsEmpty);
    }

    private PrometheusMetricProvider Provider(bool usePost = true) =>
        new(new PrometheusOptions { Address = prometheus.Address, UsePost = usePost });
}

[Collection(PrometheusCollectionDefinition.Name)]
public sealed class PrometheusMetricProviderOnPrometheusTests(PrometheusFixture prometheus) : PrometheusMetricProviderIntegrationTests(prometheus);

[Collection(VictoriaMetricsCollectionDefinition.Name)]
[OnEngine(PrometheusApiEngine.VictoriaMetrics)]
public sealed class PrometheusMetricProviderOnVictoriaMetricsTests(VictoriaMetricsFixture victoriaMetrics) : PrometheusMetricProviderIntegrationTests(victoriaMetrics);
