using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Canary.Analysis.Metrics.Datadog;

namespace Canary.Analysis.Tests.DependencyInjection;

/// <summary>The options' defaults, and their validation as a host sees it: resolving a service built from bad options.</summary>
public sealed class CanaryAnalysisOptionsTests
{
    private static OptionsValidationException Resolve(string? name, Action<CanaryAnalysisOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis(name, configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IMetricProvider>(name));
    }

    [Fact]
    public void Constructor_Defaults_ArePrometheusNetOverPrometheusWithoutAddress()
    {
        var options = new CanaryAnalysisOptions();

        Assert.Equal(MetricBackend.Prometheus, options.Backend);
        Assert.Null(options.Prometheus.Address);
        Assert.Same(TrafficConvention.PrometheusNet, options.Convention);
        Assert.Equal("datadoghq.com", options.Datadog.Site);
        Assert.Null(options.Datadog.ApiKey);
        Assert.Null(options.DatadogConvention);
    }

    [Fact]
    public void Validate_NothingConfigured_NamesTheMissingAddress()
    {
        var ex = Resolve(null, _ => { });

        Assert.Equal("CanaryAnalysis:Prometheus:Address is required (the Prometheus base URL, e.g. http://prometheus:9090/); it was null.", ex.Message);
    }

    [Fact]
    public void Validate_SeveralBadFields_NamesEachFieldAndValueInOneMessage()
    {
        var ex = Resolve(null, o =>
        {
            o.Prometheus.Address = new Uri("http://prometheus:9090/?x=1");
            o.Prometheus.BearerToken = "token-secret";
            o.Prometheus.Username = "canary";
            o.Prometheus.Timeout = TimeSpan.Zero;
            o.Convention = TrafficConvention.PrometheusNet with { StatusLabel = "status code" };
        });

        Assert.Equal(
            "CanaryAnalysis:Prometheus:Address must not have a query string or fragment (query strings often carry tokens; use CanaryAnalysis:Prometheus:Headers); it was 'http://prometheus:9090/?***'.; "
            + "CanaryAnalysis:Prometheus:BearerToken and CanaryAnalysis:Prometheus:Username/Password are both set; choose bearer or basic authentication.; "
            + "CanaryAnalysis:Prometheus:Timeout must be positive; it was 00:00:00.; "
            + "CanaryAnalysis:Convention:StatusLabel 'status code' is not a valid label name.",
            ex.Message);
        Assert.DoesNotContain("token-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NamedRegistration_PathCarriesTheName()
    {
        var ex = Resolve("eu", o => o.Prometheus.MaxResponseBytes = -1);

        Assert.Equal(
            "CanaryAnalysis:eu:Prometheus:Address is required (the Prometheus base URL, e.g. http://prometheus:9090/); it was null.; "
            + "CanaryAnalysis:eu:Prometheus:MaxResponseBytes must be positive; it was -1.",
            ex.Message);
        Assert.Equal("eu", ex.OptionsName);
        Assert.Equal(typeof(CanaryAnalysisOptions), ex.OptionsType);
    }

    [Fact]
    public void Validate_NullSections_NameTheMissingSection()
    {
        var ex = Resolve(null, o =>
        {
            o.Prometheus = null!;
            o.Convention = null!;
        });

        Assert.Equal(
            "CanaryAnalysis:Prometheus is required when CanaryAnalysis:Backend is Prometheus; it was null.; "
            + "CanaryAnalysis:Convention is required when CanaryAnalysis:Backend is Prometheus; it was null.",
            ex.Message);
    }

    [Fact]
    public void Validate_DatadogWithoutKeysOrConvention_NamesEachMissingField()
    {
        var ex = Resolve(null, o =>
        {
            o.Backend = MetricBackend.Datadog;
            o.Datadog.ApiKey = "  ";
            o.Datadog.Site = "https://datadoghq.eu";
        });

        Assert.Equal(
            "CanaryAnalysis:Datadog:Site must be a host name such as 'datadoghq.com' or 'datadoghq.eu' (no scheme, no path); it was 'https://datadoghq.eu'.; "
            + "CanaryAnalysis:Datadog:ApiKey is required; it was empty.; "
            + "CanaryAnalysis:Datadog:ApplicationKey is required; it was null.; "
            + "CanaryAnalysis:DatadogConvention is required when CanaryAnalysis:Backend is Datadog; it was null.",
            ex.Message);
    }

    [Fact]
    public void Validate_DatadogBadConvention_NamesTheConventionField()
    {
        var ex = Resolve(null, o =>
        {
            TestOptions.Datadog(o);
            o.DatadogConvention = new DatadogTraceConvention { Service = "web", Tags = ["env prod"] };
        });

        Assert.Equal("CanaryAnalysis:DatadogConvention:Tags has 'env prod', which is not a key:value tag filter.", ex.Message);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DatadogBackend_IgnoresThePrometheusSettings()
    {
        var services = new ServiceCollection();
        services.AddCanaryAnalysis(o =>
        {
            TestOptions.Datadog(o);
            o.Prometheus.Address = new Uri("foo", UriKind.Relative);
            o.Convention = null!;
        });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<DatadogTrafficSource>(provider.GetRequiredService<ITrafficSource>());
    }

    [Fact]
    public void Validate_UnknownBackend_NamesTheValue()
    {
        var ex = Resolve(null, o => o.Backend = (MetricBackend)7);

        Assert.Equal("CanaryAnalysis:Backend must be Prometheus or Datadog; it was '7'.", ex.Message);
    }
}
