using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics;
using Canary.Analysis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Tests.DependencyInjection;

public sealed class CanaryAnalysisSecurityTests
{
    private const string VectorJson = """{"status":"success","data":{"resultType":"vector","result":[]}}""";
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    [Fact]
    public async Task AddCanaryAnalysis_ConnectionCap_AppliesToTheFactoryHandler()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackResponse.Json(VectorJson) with { Delay = TimeSpan.FromMilliseconds(20) });
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o =>
        {
            o.Prometheus.Address = server.Address;
            o.Prometheus.MaxConnectionsPerServer = 2;
            o.Prometheus.Timeout = TimeSpan.FromSeconds(60);
        });
        await using var provider = services.BuildServiceProvider();
        var metrics = provider.GetRequiredService<IMetricProvider>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => metrics.QueryAsync("up", Time)));

        Assert.Equal(40, server.Requests.Count);
        Assert.InRange(server.MaxConcurrentConnections, 1, 2);
    }

    [Fact]
    public async Task AddCanaryAnalysis_CrLfInABoundHeader_FailsValidationWithoutShowingTheValue()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis().AddPrometheus(o =>
        {
            o.Prometheus.Address = new Uri("http://127.0.0.1:9/");
            o.Prometheus.Headers["X-Api-Key"] = "CANARY-key\r\nX-Injected: 1";
        });
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMetricProvider>());

        Assert.Contains("CanaryAnalysis:Prometheus:Headers['X-Api-Key']", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", ex.Message, StringComparison.Ordinal);
    }
}
