using Canary.Analysis.Configuration;
using Canary.Analysis.Configuration.Imports;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Configuration.Imports.ImportFixtures;

namespace Canary.Analysis.Tests.Configuration.Imports;

public sealed class KayentaImportTests
{
    [Fact]
    public void ErrorAndLatencyMetrics_BecomeComparisonsWithTheBaseline_SelectedByTheScopeLabel()
    {
        var result = Import("kayenta-checkout.json");

        Assert.Equal("checkout-golden-signals", result.Policy.Name);
        Assert.Equal("prometheus-net", result.Policy.Convention.Name);
        Assert.Equal("app=\"checkout\",version=\"canary\"", result.Policy.Canary.ToString());
        Assert.Equal("app=\"checkout\",version=\"baseline\"", result.Policy.Baseline?.ToString());

        Assert.Equal(["5xx-rate", "success-ratio", "p99-latency", "p50-latency"], result.Policy.CheckNames);
        Assert.Equal("sequential-error-rate", Field(result, "checks", "5xx-rate", "kind"));
        Assert.Equal("sequential-error-rate", Field(result, "checks", "success-ratio", "kind"));
        // allowedIncrease 1.2 on p99: at most 20 % above the baseline's p99.
        Assert.Equal(("latency", "0.99", "0.2", "1m"), (Field(result, "checks", "p99-latency", "kind"), Field(result, "checks", "p99-latency", "quantile"), Field(result, "checks", "p99-latency", "maximumIncrease"), Field(result, "checks", "p99-latency", "window")));
        // No effect size: any significant increase, the sequential test on the share slower than the baseline's p50.
        Assert.Equal(("sequential-latency", "0.5"), (Field(result, "checks", "p50-latency", "kind"), Field(result, "checks", "p50-latency", "baselineQuantile")));

        var step = Build(result).Steps.Single();
        Assert.Equal(CanaryStepKind.Analysis, step.Kind);
        Assert.Equal(["5xx-rate", "success-ratio", "p99-latency", "p50-latency"], step.Metrics.Select(m => m.Name));
        Assert.All(step.Metrics, m => Assert.Equal((TimeSpan.FromMinutes(1), 60), (m.Interval!.Value, m.Count!.Value)));

        Assert.Equal(
            [
                "Info CanaryConfig/checkout golden signals name",
                "Warning CanaryConfig/checkout golden signals metrics[0].query", // errors per second → the share of failed requests
                "Error CanaryConfig/checkout golden signals metrics[0].analysisConfigurations.canary.nanStrategy", // replace: passes without data
                "Info CanaryConfig/checkout golden signals metrics[0].query.customInlineTemplate", // the scope label
                "Warning CanaryConfig/checkout golden signals metrics[1].analysisConfigurations.canary.direction", // either
                "Warning CanaryConfig/checkout golden signals metrics[1].query", // a second error-rate comparison spends its own α
                "Warning CanaryConfig/checkout golden signals metrics[2].analysisConfigurations.canary", // not critical
                "Info CanaryConfig/checkout golden signals metrics[2].analysisConfigurations.canary.mustHaveData",
                "Warning CanaryConfig/checkout golden signals metrics[2].analysisConfigurations.canary.outliers",
                "Warning CanaryConfig/checkout golden signals metrics[3].analysisConfigurations.canary", // no effect size
                "Error CanaryConfig/checkout golden signals metrics[4].query.metricName", // avg(cpu): no check kind
                "Info CanaryConfig/checkout golden signals metrics[5]", // muted
                "Warning CanaryConfig/checkout golden signals classifier.groupWeights",
                "Info CanaryConfig/checkout golden signals classifier.scoreThresholds",
                "Info CanaryConfig/checkout golden signals applications",
                "Warning CanaryConfig/checkout golden signals", // no steps in a canary config
            ],
            Where(result));
    }

    [Theory]
    [InlineData("decrease", "Error")]
    [InlineData("increase", null)]
    public void AnErrorMetricsDirection_MustBeTheOneThatFailsMoreErrors(string direction, string? severity)
    {
        var result = PolicyImporter.FromKayenta(Config(direction, "sum(rate(istio_requests_total{reporter=\\\"destination\\\",destination_workload=\\\"${scope}\\\",response_code=~\\\"5.*\\\"}[1m])) / sum(rate(istio_requests_total{reporter=\\\"destination\\\",destination_workload=\\\"${scope}\\\"}[1m]))"), "config.json");

        var directionFinding = result.Findings.SingleOrDefault(f => f.Path.EndsWith(".direction", StringComparison.Ordinal));
        Assert.Equal(severity, directionFinding?.Severity.ToString());
        Assert.Equal(severity is null ? ["errors"] : [], result.Policy.CheckNames);
        Assert.Equal(severity is null ? "destination_workload=\"canary\"" : "version=\"canary\"", result.Policy.Canary.ToString()); // the scope label of an imported metric
    }

    [Fact]
    public void WithoutAScopePlaceholder_TheSelectorsAreTheJudgesDefaults_WithAWarning()
    {
        var result = PolicyImporter.FromKayenta(Config("increase", "sum(rate(istio_requests_total{response_code=~\\\"5.*\\\"}[1m])) / sum(rate(istio_requests_total[1m]))"), "config.json");

        Assert.Equal(("version=\"canary\"", "version=\"baseline\""), (result.Policy.Canary.ToString(), result.Policy.Baseline?.ToString()));
        Assert.Contains("Warning CanaryConfig/c", Where(result));
    }

    [Fact]
    public void AGivenCanarySelectorWithoutABaseline_GetsThePlaceholderBaseline_TheComparisonsNeed()
    {
        var result = PolicyImporter.FromKayenta(Config("increase", "sum(rate(istio_requests_total{response_code=~\\\"5.*\\\"}[1m])) / sum(rate(istio_requests_total[1m]))"), "config.json",
            new PolicyImportOptions { Canary = "app=\"web\",track=\"canary\"" });

        Assert.Equal(("app=\"web\",track=\"canary\"", "version=\"baseline\""), (result.Policy.Canary.ToString(), result.Policy.Baseline?.ToString()));
        Assert.Equal(["errors"], result.Policy.CheckNames);
    }

    [Fact]
    public void NotACanaryConfig_IsRefused()
    {
        Assert.Throws<PolicyDocumentException>(() => PolicyImporter.FromKayenta("{ \"name\": \"x\" }", "x.json"));
        Assert.Throws<PolicyDocumentException>(() => PolicyImporter.FromKayenta("not json", "x.json"));
    }

    private static string Config(string direction, string promQl) => $$"""
        {
          "name": "c",
          "judge": { "name": "NetflixACAJudge-v1.0", "judgeConfigurations": {} },
          "metrics": [
            {
              "name": "errors",
              "query": { "type": "prometheus", "customInlineTemplate": "PromQL:{{promQl}}" },
              "groups": ["errors"],
              "analysisConfigurations": { "canary": { "direction": "{{direction}}", "critical": true } },
              "scopeName": "default"
            }
          ],
          "classifier": { "groupWeights": { "errors": 100 } }
        }
        """;
}
