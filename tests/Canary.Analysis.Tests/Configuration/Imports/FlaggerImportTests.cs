using Canary.Analysis.Configuration.Imports;
using Canary.Analysis.Policies;
using static Canary.Analysis.Tests.Configuration.Imports.ImportFixtures;

namespace Canary.Analysis.Tests.Configuration.Imports;

public sealed class FlaggerImportTests
{
    [Fact]
    public void TheBuiltinMetrics_BecomeSuccessRateAndLatencyChecks_OneLookAtEachWeight()
    {
        var result = Import("flagger-builtin.yaml");

        Assert.Equal("podinfo", result.Policy.Name);
        Assert.Equal("istio", result.Policy.Convention.Name);
        Assert.Equal("destination_workload_namespace=\"test\",destination_workload=\"podinfo\"", result.Policy.Canary.ToString());
        Assert.Equal("destination_workload_namespace=\"test\",destination_workload=\"podinfo-primary\"", result.Policy.Baseline?.ToString());
        Assert.Null(result.Policy.PrometheusAddress); // Flagger's -metrics-server flag: the host's

        // thresholdRange.min 99 (percent) → 0.99; max 500 (ms) → 500ms of p99; the metric's interval is the window.
        Assert.Equal(["request-success-rate", "request-duration"], result.Policy.CheckNames);
        Assert.Equal(("success-rate", "0.99", "1m"), (Field(result, "checks", "request-success-rate", "kind"), Field(result, "checks", "request-success-rate", "minimumSuccessRate"), Field(result, "checks", "request-success-rate", "window")));
        Assert.Equal(("latency", "0.99", "500ms", "30s"), (Field(result, "checks", "request-duration", "kind"), Field(result, "checks", "request-duration", "quantile"), Field(result, "checks", "request-duration", "maximumLatency"), Field(result, "checks", "request-duration", "window")));

        // maxWeight 50, stepWeight 20: 20, 40, 60 (Flagger overshoots maxWeight), one look a tick each; confirm-promotion: a pause.
        var policy = Build(result);
        Assert.Equal(
            [CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.SetWeight, CanaryStepKind.Analysis, CanaryStepKind.Pause],
            policy.Steps.Select(s => s.Kind));
        Assert.Equal([20, 40, 60], policy.Steps.Where(s => s.Kind == CanaryStepKind.SetWeight).Select(s => s.Weight));
        Assert.All(policy.Steps.Where(s => s.Kind == CanaryStepKind.Analysis), step =>
        {
            Assert.Equal(["request-success-rate", "request-duration"], step.Metrics.Select(m => m.Name));
            Assert.All(step.Metrics, m => Assert.Equal((TimeSpan.FromMinutes(1), 1, 0), (m.Interval!.Value, m.Count!.Value, m.FailureLimit)));
        });
        Assert.Null(policy.Steps[^1].Duration);

        Assert.Equal(
            [
                "Info Canary/podinfo spec.analysis.metrics[0]", // the builtins' Prometheus server is Flagger's flag
                "Warning Canary/podinfo spec.analysis.threshold", // 5 failed checks in all: 4 pass
                "Warning Canary/podinfo spec.analysis.webhooks[0]", // the load test is not imported
                "Warning Canary/podinfo spec.analysis.webhooks[1]", // confirm-promotion: a pause
                "Info Canary/podinfo spec.analysis.alerts",
            ],
            Where(result));
    }

    [Fact]
    public void MetricTemplates_MapWhereTheyAreAConventionsSuccessRate_AndEverythingElseIsAnError()
    {
        var result = Import("flagger-templates.yaml");

        Assert.Equal(new Uri("http://prometheus.istio-system:9090"), result.Policy.PrometheusAddress);
        Assert.Equal(["success-percentage"], result.Policy.CheckNames);
        Assert.Equal(("success-rate", "0.99", "1m"), (Field(result, "checks", "success-percentage", "kind"), Field(result, "checks", "success-percentage", "minimumSuccessRate"), Field(result, "checks", "success-percentage", "window")));
        Assert.Equal([1, 5, 10, 25], Build(result).Steps.Where(s => s.Kind == CanaryStepKind.SetWeight).Select(s => s.Weight));

        Assert.Equal(
            [
                "Error MetricTemplate/success-percentage spec.query", // or on() vector(100): passes without traffic (flagger#1353)
                "Error MetricTemplate/not-found-percentage spec.query", // 404s: no check kind for it
                "Error MetricTemplate/my-metric spec.query", // Linkerd's histogram: the document reads Istio's
                "Error MetricTemplate/datadog-errors spec.provider.type",
            ],
            Where(result));
        Assert.Contains("fluxcd/flagger#1353", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("response_code!=\"404\"", result.Findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFallbackThatFailsWithoutData_IsAWarning_NotAnError()
    {
        var result = PolicyImporter.FromFlagger(Canary("istio", """
                metrics:
                  - name: errors
                    templateRef: { name: errors }
                    thresholdRange: { max: 1 }
            """) + """

            ---
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata: { name: errors }
            spec:
              provider: { type: prometheus, address: http://prometheus:9090 }
              query: |
                sum(rate(istio_requests_total{reporter="destination",destination_workload="{{ target }}",response_code=~"5.*"}[{{ interval }}]))
                / sum(rate(istio_requests_total{reporter="destination",destination_workload="{{ target }}"}[{{ interval }}])) * 100
                or vector(100)
            """, "canary.yaml");

        // 100 % errors without data fails max 1: the source does not pass on missing data.
        Assert.Equal(["Warning MetricTemplate/errors spec.query", "Warning MetricTemplate/errors spec.query"], Where(result).Where(w => w.StartsWith("Warning MetricTemplate", StringComparison.Ordinal)));
        Assert.Equal("0.99", Field(result, "checks", "errors", "minimumSuccessRate"));
    }

    [Fact]
    public void TheProviderChoosesTheConventionAndSelectors()
    {
        var result = PolicyImporter.FromFlagger(Canary("linkerd", """
                metrics:
                  - name: request-success-rate
                    thresholdRange: { min: 95 }
            """), "canary.yaml");

        Assert.Equal("linkerd", result.Policy.Convention.Name);
        Assert.Equal("namespace=\"test\",deployment=\"podinfo\"", result.Policy.Canary.ToString());
        Assert.Equal("namespace=\"test\",deployment=\"podinfo-primary\"", result.Policy.Baseline?.ToString());
        Assert.Equal("0.95", Field(result, "checks", "request-success-rate", "minimumSuccessRate"));
    }

    [Fact]
    public void ACanaryWithoutAnalysis_OrThatSkipsIt_IsAnError()
    {
        var result = PolicyImporter.FromFlagger("""
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: { name: podinfo, namespace: test }
            spec:
              provider: istio
              skipAnalysis: true
              targetRef: { apiVersion: apps/v1, kind: Deployment, name: podinfo }
            """, "canary.yaml");

        Assert.Equal(["Error Canary/podinfo spec.skipAnalysis", "Error Canary/podinfo spec.analysis", "Warning"], Where(result));
        Assert.Equal(CanaryStepKind.Pause, Build(result).Steps.Single().Kind);
        Assert.Throws<Canary.Analysis.Configuration.PolicyDocumentException>(() => PolicyImporter.FromFlagger("kind: Deployment\n", "d.yaml"));
    }

    private static string Canary(string provider, string analysis) => $"""
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
        spec:
          provider: {provider}
          targetRef: {"{"} apiVersion: apps/v1, kind: Deployment, name: podinfo {"}"}
          analysis:
            interval: 1m
            threshold: 1
            stepWeight: 50
        {analysis}
        """;
}
