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
    private static OptionsValidationException Resolve(string? name, Action<PrometheusBackendOptions> configure) =>
        Resolve(services => services.AddCanaryAnalysis(name).AddPrometheus(configure), name);

    private static OptionsValidationException ResolveDatadog(Action<DatadogBackendOptions> configure) =>
        Resolve(services => services.AddCanaryAnalysis().AddDatadog(configure), name: null);

    private static OptionsValidationException Resolve(Action<ServiceCollection> register, string? name)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IMetricProvider>(name));
    }

    [Fact]
    public void Constructor_Defaults_ArePrometheusNetOverPrometheusWithoutAddress()
    {
        var options = new PrometheusBackendOptions();

        Assert.Null(options.Prometheus.Address);
        Assert.Same(TrafficConvention.PrometheusNet, options.Convention);
    }

    [Fact]
    public void Constructor_DatadogDefaults_AreTheDefaultSiteWithoutKeysOrConvention()
    {
        var options = new DatadogBackendOptions();

        Assert.Equal("datadoghq.com", options.Datadog.Site);
        Assert.Null(options.Datadog.ApiKey);
        Assert.Null(options.Convention);
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
        Assert.Equal(typeof(PrometheusBackendOptions), ex.OptionsType);
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
            "CanaryAnalysis:Prometheus is required; it was null.; "
            + "CanaryAnalysis:Convention is required; it was null.",
            ex.Message);
    }

    [Fact]
    public void Validate_DatadogWithoutKeysOrConvention_NamesEachMissingField()
    {
        var ex = ResolveDatadog(o =>
        {
            o.Datadog.ApiKey = "  ";
            o.Datadog.Site = "https://datadoghq.eu";
        });

        Assert.Equal(
            "CanaryAnalysis:Datadog:Site must be a host name such as 'datadoghq.com' or 'datadoghq.eu' (no scheme, no path); it was 'https://datadoghq.eu'.; "
            + "CanaryAnalysis:Datadog:ApiKey is required; it was empty.; "
            + "CanaryAnalysis:Datadog:ApplicationKey is required; it was null.; "
            + "CanaryAnalysis:Convention is required; it was null.",
            ex.Message);
    }

    [Fact]
    public void Validate_DatadogBadConvention_NamesTheConventionField()
    {
        var ex = ResolveDatadog(o =>
        {
            TestOptions.Datadog(o);
            o.Convention = new DatadogTraceConvention { Service = "web", Tags = ["env prod"] };
        });

        Assert.Equal("CanaryAnalysis:Convention:Tags has 'env prod', which is not a key:value tag filter.", ex.Message);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }
}
