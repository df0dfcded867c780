using System.Text.Json;
using Canary.Analysis.Metrics.Datadog;
using Canary.Analysis.Traffic;
using Flurl.Http.Testing;

namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>
/// The Datadog APM traffic source over Flurl's <see cref="HttpTest"/>; the bodies under Metrics/Datadog/Fixtures are
/// hand-written from Datadog's public API documentation, not recorded from a live account.
/// </summary>
public sealed class DatadogTrafficSourceTests
{
    private static readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeMilliseconds(1767225300000);

    private static readonly DatadogTraceConvention Convention = new() { Service = "web", SpanName = "aspnet_core.request", Tags = ["env:prod"] };

    private static DatadogMetricProvider Provider() => new(new DatadogOptions { ApiKey = "k", ApplicationKey = "a" });

    [Fact]
    public void Queries_AreOneGroupedQueryPerSignal()
    {
        using var provider = Provider();
        var source = new DatadogTrafficSource(provider, Convention);
        var query = new TrafficQuery(LabelSelector.Parse("version=\"canary\",kube_cluster_name!=\"eu-1\""), End, TimeSpan.FromMinutes(15));

        Assert.Equal("sum:trace.aspnet_core.request.hits{service:web,env:prod,version:canary,!kube_cluster_name:eu-1} by {resource_name}.as_count()", source.BuildHitsQuery(query));
        Assert.Equal("sum:trace.aspnet_core.request.errors{service:web,env:prod,version:canary,!kube_cluster_name:eu-1} by {resource_name}.as_count()", source.BuildErrorsQuery(query));
        Assert.Equal("sum:trace.aspnet_core.request{service:web,env:prod,version:canary,!kube_cluster_name:eu-1} by {resource_name}", source.BuildDurationQuery(query));
    }

    [Fact]
    public void WholeService_HasNoGroupBy()
    {
        using var provider = Provider();
        var source = new DatadogTrafficSource(provider, new DatadogTraceConvention { Service = "web", EndpointTag = null });

        Assert.Equal(
            "sum:trace.http.request.hits{service:web,version:canary}.as_count()",
            source.BuildHitsQuery(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(5))));
    }

    [Theory]
    [InlineData("pod=~\"web-.*\"", "regular expressions")]
    [InlineData("version=\"can ary\"", "cannot hold")]
    [InlineData("version=\"a,b\"", "cannot hold")]
    public void Selector_DatadogCannotExpress_IsRejectedNamingTheMatcher(string selector, string message)
    {
        using var provider = Provider();
        var source = new DatadogTrafficSource(provider, Convention);

        var ex = Assert.Throws<ArgumentException>(() => source.BuildHitsQuery(new TrafficQuery(LabelSelector.Parse(selector), End, TimeSpan.FromMinutes(5))));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convention_InvalidTag_IsRejected()
    {
        using var provider = Provider();

        var ex = Assert.Throws<ArgumentException>(() => new DatadogTrafficSource(provider, Convention with { Tags = ["env prod"] }));

        Assert.Contains("'env prod'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HitsMinusErrorsAreSuccesses_ErrorsAreServerErrors_SummedOverTheWindow()
    {
        using var http = new HttpTest();
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.hits{*").RespondWith(DatadogFixture.Read("trace-hits.json"));
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.errors{*").RespondWith(DatadogFixture.Read("trace-errors.json"));
        using var provider = Provider();
        var source = new DatadogTrafficSource(provider, Convention);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Parse("version=\"canary\""), End, TimeSpan.FromMinutes(15)));

        Assert.Equal(2, http.CallLog.Count);
        foreach (var call in http.CallLog)
        {
            using var body = JsonDocument.Parse(call.RequestBody!);
            var attributes = body.RootElement.GetProperty("data").GetProperty("attributes");
            Assert.Equal(End.AddMinutes(-15).ToUnixTimeMilliseconds(), attributes.GetProperty("from").GetInt64());
            Assert.Equal(End.ToUnixTimeMilliseconds(), attributes.GetProperty("to").GetInt64());
            Assert.Equal("sum", attributes.GetProperty("queries")[0].GetProperty("aggregator").GetString());
        }

        Assert.Equal(3, snapshot.Endpoints.Count);
        var pay = snapshot.Endpoints["GET /pay"];
        Assert.Equal((200d, 190d, 10d), (pay.Requests, pay.Successes, pay[StatusClass.ServerError]));
        Assert.Equal((5000d, 5000d), (snapshot.Endpoints["GET /search"].Requests, snapshot.Endpoints["GET /search"].Successes));
        Assert.Equal((4d, 3d), (snapshot.Endpoints["POST /refund"].Requests, snapshot.Endpoints["POST /refund"].Successes));
        Assert.Null(pay.Latency);
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public async Task ReadAsync_WithLatency_GivesTheMeanAndNoQuantiles()
    {
        using var http = new HttpTest();
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.hits{*").RespondWith(DatadogFixture.Read("trace-hits.json"));
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*.errors{*").RespondWith(DatadogFixture.Read("trace-errors.json"));
        http.ForCallsTo("*/api/v2/query/scalar").WithRequestBody("*request{*").RespondWith(DatadogFixture.Read("trace-duration-sum.json"));
        using var provider = Provider();
        var source = new DatadogTrafficSource(provider, Convention);

        var snapshot = await source.ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(15)) { IncludeLatency = true });

        Assert.Equal(3, http.CallLog.Count);
        var pay = snapshot.Endpoints["GET /pay"].Latency!;
        Assert.Equal(0.25, pay.Mean, 12);
        Assert.True(double.IsNaN(pay.Quantile(0.99)));
        Assert.Equal(0.05, snapshot.Endpoints["GET /search"].Latency!.Mean, 12);
        Assert.Null(snapshot.Endpoints["POST /refund"].Latency);
    }

    [Fact]
    public async Task ReadAsync_NoTraffic_IsAnEmptySnapshot()
    {
        using var http = new HttpTest();
        http.RespondWith(DatadogFixture.Read("v2-scalar-empty.json"));
        http.RespondWith(DatadogFixture.Read("v2-scalar-empty.json"));
        using var provider = Provider();

        var snapshot = await new DatadogTrafficSource(provider, Convention).ReadAsync(new TrafficQuery(LabelSelector.Empty, End, TimeSpan.FromMinutes(5)));

        Assert.Empty(snapshot.Endpoints);
        Assert.True(double.IsNaN(snapshot.AggregateSuccessRate));
    }
}
