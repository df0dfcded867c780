using System.Text;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Recorded;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics.Recorded;

public sealed class RecordedMetricProviderTests
{
    private static readonly DateTimeOffset Time = new(2026, 1, 1, 2, 0, 0, TimeSpan.Zero);

    private static RecordedMetricProvider FromJson(string json) => RecordedMetricProvider.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    [Fact]
    public async Task QueryAsync_RecordedResponse_ParsedLikeALiveOne()
    {
        var provider = FromJson("""
            {"format":"canary-analysis/recorded-prometheus/v1","recordings":[
              {"query":"up","time":"2026-01-01T02:00:00Z","response":{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1767232800,"NaN"]}]}}}]}
            """);

        var result = await provider.QueryAsync("up", Time);

        var series = Assert.Single(result.Series);
        Assert.Equal("a", series.GetLabel("job"));
        Assert.True(double.IsNaN(series.Samples[0].Value));
        Assert.Equal(Time, series.Samples[0].Timestamp);
    }

    [Fact]
    public async Task QueryAsync_RecordedError_ReplaysAsError()
    {
        var provider = FromJson("""
            {"format":"canary-analysis/recorded-prometheus/v1","recordings":[
              {"query":"up[","response":{"status":"error","errorType":"bad_data","error":"parse error"}}]}
            """);

        var ex = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up[", Time));
        Assert.Equal(("bad_data", MetricQueryErrorKind.Backend), (ex.ErrorType, ex.Kind));
    }

    [Fact]
    public async Task QueryAsync_UnknownQueryOrTime_ThrowsRatherThanEmpty()
    {
        var provider = FromJson("""
            {"format":"canary-analysis/recorded-prometheus/v1","recordings":[
              {"query":"up","time":"2026-01-01T02:00:00Z","response":{"status":"success","data":{"resultType":"vector","result":[]}}}]}
            """);

        var unknown = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("down", Time));
        var otherTime = await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync("up", Time.AddMinutes(1)));

        Assert.Contains("no recording of this query", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("recorded only at 2026-01-01T02:00:00.0000000+00:00", otherTime.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "expected \"format\"")]
    [InlineData("{\"format\":\"canary-analysis/recorded-prometheus/v1\"}", "expected a \"recordings\" array")]
    [InlineData("{\"format\":\"canary-analysis/recorded-prometheus/v1\",\"recordings\":[{\"query\":\"up\"}]}", "recordings[0]: expected a \"response\" object")]
    [InlineData("{\"format\":\"canary-analysis/recorded-prometheus/v1\",\"recordings\":[{\"query\":\"up\",\"time\":\"noon\",\"response\":{}}]}", "recordings[0]: \"time\" must be an RFC 3339 timestamp")]
    [InlineData("{", "not valid JSON")]
    public void Load_InvalidFile_ThrowsNamingSourceAndProblem(string json, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => FromJson(json));
        Assert.StartsWith("test.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoRecording_RareWeightedEndpointFails_WhileAggregatePasses()
    {
        // The fixture the README's first command runs: it must keep showing what the demo claims.
        var path = Path.Combine(AppContext.BaseDirectory, "DemoRecording", "canary-vs-baseline.json");
        var source = new PrometheusTrafficSource(RecordedMetricProvider.Load(path), TrafficConvention.PrometheusNet);
        var canary = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), Time, TimeSpan.FromMinutes(30)));
        var weights = new EndpointWeights { ["/api/pay"] = 0.4, ["/api/checkout"] = 0.2, ["/api/search"] = 0.2, ["/api/products"] = 0.1, ["/api/cart"] = 0.1 };

        var weighted = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = weights });
        var aggregate = SuccessRateEvaluator.Evaluate(canary, new SuccessRateCriteria { Weights = EndpointWeights.TrafficWeighted() });

        Assert.Equal(Verdict.Pass, aggregate.Verdict);
        Assert.Equal(Verdict.Fail, weighted.Verdict);
        Assert.Equal("/api/pay", weighted.Endpoints[0].Endpoint);
        Assert.InRange(weighted.Endpoints[0].Value, 0.70, 0.80);
    }
}
