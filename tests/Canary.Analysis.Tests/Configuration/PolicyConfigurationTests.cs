using System.Text;
using Canary.Analysis.Configuration;
using Canary.Analysis.DependencyInjection;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.Tests.Configuration;

/// <summary>The same policy model binds from configuration (<c>AddCanaryAnalysis(configuration)</c>), with the same errors, at start.</summary>
public sealed class PolicyConfigurationTests
{
    private const string AppSettings = """
        {
          "CanaryAnalysis": {
            "source": { "prometheus": { "address": "http://prometheus:9090", "timeout": "20s" }, "convention": "istio" },
            "policies": {
              "checkout": {
                "canary": "version=\"canary\"",
                "baseline": "version=\"stable\"",
                "weights": { "endpoints": { "/api/pay": 0.4, "/api/search": 0.2 }, "default": 0.02 },
                "checks": {
                  "error-rate": { "kind": "sequential-error-rate", "alpha": 0.05 },
                  "success-rate": { "kind": "success-rate", "minimumSuccessRate": 0.95, "window": "15m" }
                },
                "steps": [
                  { "setWeight": 5 },
                  { "analysis": { "name": "fail-fast", "failFast": true, "interval": "1m", "duration": "13m", "checks": [ "error-rate", "success-rate" ] } }
                ]
              }
            }
          }
        }
        """;

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IHost Host(string json)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddCanaryAnalysis(Configuration(json).GetSection("CanaryAnalysis"));
        return builder.Build();
    }

    [Fact]
    public async Task AddCanaryAnalysis_Configuration_RegistersThePoliciesAndTheirPrometheusWithTheNamedConvention()
    {
        using var host = Host(AppSettings);
        await host.StartAsync();

        var catalog = host.Services.GetRequiredService<PolicyCatalog>();
        var checkout = catalog["checkout"];
        Assert.Same(TrafficConvention.Istio, checkout.Convention);
        Assert.Equal(new Uri("http://prometheus:9090"), checkout.PrometheusAddress);

        var source = Assert.IsType<PrometheusTrafficSource>(host.Services.GetRequiredService<ITrafficSource>());
        Assert.Same(TrafficConvention.Istio, source.Convention);
        var policy = checkout.Build(source);
        Assert.Equal([CanaryStepKind.SetWeight, CanaryStepKind.Analysis], policy.Steps.Select(s => s.Kind));
        Assert.True(policy.Steps[1].FailFast);
        Assert.Equal(13, policy.Steps[1].Metrics[0].Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task AMisspeltField_FailsTheHostsStart_NamingTheConfigurationPathAndTheValue()
    {
        using var host = Host(AppSettings.Replace("\"minimumSuccessRate\"", "\"minimumSucessRate\"", StringComparison.Ordinal));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            "configuration 'CanaryAnalysis': policies.checkout.checks.success-rate.minimumSucessRate = '0.95': is not a field here; did you mean 'minimumSuccessRate'?",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task AnUnknownConvention_FailsTheHostsStart()
    {
        using var host = Host(AppSettings.Replace("\"istio\"", "\"istoi\"", StringComparison.Ordinal));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(exception.Failures, f => f.StartsWith("configuration 'CanaryAnalysis': source.convention = 'istoi': must be one of", StringComparison.Ordinal) && f.EndsWith("did you mean 'istio'?", StringComparison.Ordinal));
    }

    [Fact]
    public void FieldNames_IgnoreCase_AsConfigurationKeysDo()
    {
        var catalog = PolicyCatalog.FromConfiguration(Configuration(AppSettings.Replace("\"minimumSuccessRate\"", "\"MinimumSuccessRate\"", StringComparison.Ordinal)
            .Replace("\"setWeight\"", "\"SetWeight\"", StringComparison.Ordinal)).GetSection("CanaryAnalysis"));

        Assert.Equal(CanaryStepKind.SetWeight, catalog["checkout"].Build(new RecordedTrafficSource([])).Steps[0].Kind);
    }

    [Fact]
    public void BindingAConventionByName_SetsThePreset_AndAnUnknownNameFailsTheBinding()
    {
        // Before: "Convention": "Istio" left the prometheus-net preset in place and said nothing.
        var options = new PrometheusBackendOptions();
        Configuration("""{ "Canary": { "Convention": "Istio", "Prometheus": { "Address": "http://p:9090" } } }""").GetSection("Canary").Bind(options);
        Assert.Same(TrafficConvention.Istio, options.Convention);

        Configuration("""{ "Canary": { "Convention": "nginx-ingress" } }""").GetSection("Canary").Bind(options);
        Assert.Same(TrafficConvention.NginxIngress, options.Convention);

        var exception = Assert.Throws<InvalidOperationException>(() => Configuration("""{ "Canary": { "Convention": "Istoi" } }""").GetSection("Canary").Bind(options));
        Assert.Contains("Canary:Convention", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'Istoi' is not a traffic convention preset", exception.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_ReadsOnePolicyPerFile_AndReportsEveryFilesErrorsAndDuplicateNames()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "a.yaml"), PolicyDocumentTests.Checkout);
            File.WriteAllText(Path.Combine(directory.FullName, "notes.txt"), "not a policy");
            Assert.Equal(["checkout"], PolicyCatalog.LoadDirectory(directory.FullName).Documents.Select(d => d.Name));

            File.WriteAllText(Path.Combine(directory.FullName, "b.yml"), PolicyDocumentTests.Checkout);
            File.WriteAllText(Path.Combine(directory.FullName, "c.yaml"), PolicyDocumentTests.Checkout.Replace("alpha: 0.05", "alpha: 5", StringComparison.Ordinal));

            var errors = Assert.Throws<PolicyDocumentException>(() => PolicyCatalog.LoadDirectory(directory.FullName)).Errors;

            Assert.Equal(2, errors.Count);
            Assert.Equal((Path.Combine(directory.FullName, "b.yml"), "metadata.name"), (errors[0].Origin, errors[0].Path));
            Assert.Contains("names the same policy as", errors[0].Message, StringComparison.Ordinal);
            Assert.Equal((Path.Combine(directory.FullName, "c.yaml"), "checks.error-rate.alpha"), (errors[1].Origin, errors[1].Path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
