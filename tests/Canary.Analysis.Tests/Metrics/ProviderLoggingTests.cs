using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Tests.TestSupport;
using Flurl.Http.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.Tests.Metrics;

/// <summary>Providers log every query's outcome (event ids 2000–2001) with the numbers as structured state, never a secret.</summary>
public sealed class ProviderLoggingTests
{
    private const string Token = "s3cr3t-token-value";
    private const string VectorJson = """{"status":"success","data":{"resultType":"vector","result":[]}}""";

    [Fact]
    public async Task AnAnswer_IsLoggedAtDebug_WithTheBackendTheQueryAndTheTime()
    {
        using var http = new HttpTest();
        http.RespondWith(VectorJson);
        var logger = new CapturingLogger();
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri("http://prometheus:9090") }) { Logger = logger };

        await provider.QueryAsync("up", DateTimeOffset.UnixEpoch);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Debug, 2000), (entry.Level, entry.EventId.Id));
        Assert.Equal("Prometheus", entry.State["Backend"]);
        Assert.Equal("up", entry.State["Query"]);
        Assert.IsType<long>(entry.State["ElapsedMilliseconds"]);
    }

    [Fact]
    public async Task AFailure_IsLoggedAtWarning_WithItsKindAndStatus_NeverASecret()
    {
        using var http = new HttpTest();
        // A proxy echoing the request's credentials in its error body.
        http.RespondWith($"upstream refused: Authorization: Bearer {Token}", 502);
        var logger = new CapturingLogger();
        using var provider = new PrometheusMetricProvider(new PrometheusOptions { Address = new Uri("http://prometheus:9090"), BearerToken = Token }) { Logger = logger };

        await Assert.ThrowsAsync<MetricQueryException>(() => provider.QueryAsync($"up{{token=\"{Token}\"}}", DateTimeOffset.UnixEpoch));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 2001), (entry.Level, entry.EventId.Id));
        Assert.Equal(MetricQueryErrorKind.Transport, entry.State["ErrorKind"]);
        Assert.Equal(502, entry.State["StatusCode"]);
        Assert.DoesNotContain(Token, entry.Message, StringComparison.Ordinal);
        Assert.All(entry.State.Values, v => Assert.DoesNotContain(Token, v?.ToString() ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void AddCanaryAnalysis_GivesTheProviderTheHostsLogger()
    {
        var services = new ServiceCollection();
        var factory = new CapturingLoggerFactory();
        services.AddSingleton<ILoggerFactory>(factory);
        services.AddCanaryAnalysis().AddPrometheus(o => o.Prometheus.Address = new Uri("http://prometheus:9090"));
        using var provider = services.BuildServiceProvider();

        var prometheus = Assert.IsType<PrometheusMetricProvider>(provider.GetRequiredService<IMetricProvider>());

        Assert.Same(factory.Logger, prometheus.Logger);
        Assert.Contains("Canary.Analysis.Metrics.Prometheus", factory.Categories);
    }

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        public CapturingLogger Logger { get; } = new();

        public List<string> Categories { get; } = [];

        public ILogger CreateLogger(string categoryName)
        {
            Categories.Add(categoryName);
            return Logger;
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
