using Canary.Analysis.Metrics.Scrape;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Tests.Metrics.Scrape;

/// <summary>An injected client belongs to the caller: disposing the source (owned or wrapped client) leaves it usable.</summary>
public sealed class ScrapeTrafficSourceInjectedClientTests
{
    private static readonly Uri A = new("http://a.test:9000/metrics");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_InjectedHttpClient_LeavesTheClientUsable(bool usedBefore)
    {
        using var handler = new CountingHandler();
        using var client = new HttpClient(handler);
        if (usedBefore)
        {
            (await client.GetAsync(A)).Dispose();
        }

        var source = new ScrapeTrafficSource([A], TrafficConvention.PrometheusNet, new ScrapeOptions { HttpClient = client });
        await source.ScrapeAsync();
        source.Dispose();

        using var response = await client.GetAsync(A);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(usedBefore ? 3 : 2, handler.Requests);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(string.Empty) });
        }
    }
}
