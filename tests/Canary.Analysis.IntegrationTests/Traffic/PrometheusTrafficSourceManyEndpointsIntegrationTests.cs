using Canary.Analysis.Evaluation;
using Canary.Analysis.IntegrationTests.Infrastructure;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Traffic;
using Xunit.Abstractions;

namespace Canary.Analysis.IntegrationTests.Traffic;

/// <summary>One grouped query per snapshot, whatever the number of endpoints, counted on the wire.</summary>
[Collection(ManyEndpointsCollectionDefinition.Name)]
public sealed class PrometheusTrafficSourceManyEndpointsIntegrationTests(ManyEndpointsPrometheusFixture prometheus, ITestOutputHelper output)
{
    [PrometheusTheory]
    [InlineData(ManyEndpointsPrometheusFixture.Small)]
    [InlineData(ManyEndpointsPrometheusFixture.Large)]
    public async Task ReadAsync_ManyEndpoints_SendsExactlyOneHttpRequestAndMatchesPrometheus(int endpointCount)
    {
        var job = ManyEndpointsFixture.JobName(endpointCount);
        var end = ManyEndpointsFixture.End;
        var window = StandardFixture.Window;
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(counter);
        using var provider = new PrometheusMetricProvider(http, new PrometheusOptions { Address = prometheus.Address });
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var selector = LabelSelector.Parse($"job=\"{job}\",version=\"canary\"");

        var snapshot = await source.ReadAsync(new TrafficQuery(selector, end, window));
        var result = SuccessRateEvaluator.Evaluate(snapshot, new SuccessRateCriteria { Weights = EndpointWeights.Equal(), MinimumSuccessRate = 0.95 });

        Assert.Equal(1, counter.Requests);
        Assert.Equal(endpointCount, snapshot.Endpoints.Count);
        Assert.Equal(endpointCount, result.Endpoints.Count(r => r.Status == EndpointStatus.Judged));

        var all = await prometheus.Client.QueryAsync($"sum by (endpoint) (increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\"}}[15m]))", end);
        var ok = await prometheus.Client.QueryAsync($"sum by (endpoint) (increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\",code=~\"2..\"}}[15m]))", end);
        var equalWeighted = await prometheus.Client.QuerySingleAsync(
            $"avg(sum by (endpoint) (increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\",code=~\"2..\"}}[15m])) / sum by (endpoint) (increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\"}}[15m])))", end);
        Assert.Equal(endpointCount, all.Count);
        Assert.All(all, s => Close.Equal(s.Value, snapshot.Endpoints[s["endpoint"]].Requests, what: s["endpoint"]));
        Assert.All(ok, s => Close.Equal(s.Value, snapshot.Endpoints[s["endpoint"]].Successes, what: s["endpoint"]));
        Close.Equal(equalWeighted, result.Value);
        Assert.Equal(1, counter.Requests); // the oracle went through its own client
        output.WriteLine($"{endpointCount} endpoints, {counter.Requests} HTTP request(s); {result.Reason}");
    }

    [PrometheusFact]
    public async Task ReadAsync_InjectedClientAlreadyUsedAndBaseAddressOnly_StillOneRequestPerSnapshot()
    {
        // A client from IHttpClientFactory has usually sent requests already (Flurl can no longer reset its Timeout,
        // so the provider forwards through it) and carries the address as BaseAddress instead of PrometheusOptions.Address.
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(counter) { BaseAddress = prometheus.Address };
        using (var ready = await http.GetAsync(new Uri("-/ready", UriKind.Relative)))
        {
            Assert.True(ready.IsSuccessStatusCode);
        }

        using var provider = new PrometheusMetricProvider(http, new PrometheusOptions());
        var source = new PrometheusTrafficSource(provider, TrafficConvention.PrometheusNet);
        var job = ManyEndpointsFixture.JobName(ManyEndpointsPrometheusFixture.Small);
        var query = new TrafficQuery(LabelSelector.Parse($"job=\"{job}\",version=\"canary\""), ManyEndpointsFixture.End, StandardFixture.Window);

        var first = await source.ReadAsync(query);
        var second = await source.ReadAsync(query);

        Assert.Equal(3, counter.Requests); // /-/ready + one per snapshot
        Assert.Equal(ManyEndpointsPrometheusFixture.Small, first.Endpoints.Count);
        var total = await prometheus.Client.QuerySingleAsync($"sum(increase(http_request_duration_seconds_count{{job=\"{job}\",version=\"canary\"}}[15m]))", ManyEndpointsFixture.End);
        Close.Equal(total, first.TotalRequests);
        Close.Equal(total, second.TotalRequests);
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
